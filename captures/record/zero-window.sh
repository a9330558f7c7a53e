#!/bin/bash
# zero-window.pcap: the receiver (pklB) sets a small receive buffer (SO_RCVBUF 4096) and
# does not read for 3 seconds while the sender (pklA) pushes 60 KB: the advertised window
# shrinks to 0, the sender sends zero-window probes, then the reader wakes up, reads slowly
# (1 KB every 10 ms) and window updates reopen the flow.
source "$(dirname "$0")/lib.sh"
trap netns_down EXIT
netns_up
ip netns exec "$NSA" ethtool -K pklA0 tx off >/dev/null
ip netns exec "$NSB" ethtool -K pklB0 tx off >/dev/null
capture_start "$NSA" pklA0 "$OUT/zero-window.pcap" tcp port 9001
ip netns exec "$NSB" python3 "$HERE/peers.py" sink "$IPB" 9001 4096 3.0 1024 0.01 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$HERE/peers.py" blast "$IPB" 9001 60000
wait "$SRV"
capture_stop "$OUT/zero-window.pcap"
