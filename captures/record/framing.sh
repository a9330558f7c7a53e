#!/bin/bash
# framing.pcap: game framing (type:u16 len:u16 big-endian + payload) over veth, MTU 1500.
# The client sends LOGIN, then one 4004-byte INVENTORY message (type 7) in ONE send(): TCP
# cuts it into MSS-sized segments (1448 bytes of payload with timestamps on). The server
# answers LOGIN with LOGIN_OK and WELCOME written together in ONE send(): two messages in one
# segment. Then BYE (type 5, empty payload) and the teardown.
source "$(dirname "$0")/lib.sh"
trap netns_down EXIT
netns_up
ip netns exec "$NSA" ethtool -K pklA0 tx off >/dev/null
ip netns exec "$NSB" ethtool -K pklB0 tx off >/dev/null
capture_start "$NSA" pklA0 "$OUT/framing.pcap" tcp port 7777
ip netns exec "$NSB" python3 "$HERE/peers.py" framing-server "$IPB" 7777 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$HERE/peers.py" framing-client "$IPB" 7777
wait "$SRV"
capture_stop "$OUT/framing.pcap"
