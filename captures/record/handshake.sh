#!/bin/bash
# handshake.pcap: a clean TCP connection over veth (MTU 1500): handshake with MSS 1460,
# window scale, timestamps and SACK_PERM; a request, a 4000-byte reply; FIN teardown.
# Checksum offload is turned off on both veth ends so every checksum in the file is real.
source "$(dirname "$0")/lib.sh"
trap netns_down EXIT
netns_up
ip netns exec "$NSA" ethtool -K pklA0 tx off >/dev/null
ip netns exec "$NSB" ethtool -K pklB0 tx off >/dev/null
capture_start "$NSA" pklA0 "$OUT/handshake.pcap" tcp port 8080
ip netns exec "$NSB" python3 "$HERE/peers.py" serve-reply "$IPB" 8080 4000 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$HERE/peers.py" fetch "$IPB" 8080
wait "$SRV"
capture_stop "$OUT/handshake.pcap"
