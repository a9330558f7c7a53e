#!/bin/bash
# versioning.pcap: a binary game protocol with a version in every header, on veth (captured
# at the client, pklA0). Header: magic "PK", version:u8, type:u8, length:u16 big-endian. The
# client sends a version 1 MOVE (player:u16, x:f32, y:f32), a version 2 MOVE (one field added
# at the end), a version 3 MOVE the server refuses with an error message (the connection
# stays usable), and a buggy MOVE whose length was written little-endian (0a 00, read 2560):
# the server waits for bytes that never come and gives up after 1 s.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump python3 python3
trap netns_down EXIT
netns_up
ip netns exec "$NSA" ethtool -K pklA0 tx off >/dev/null
ip netns exec "$NSB" ethtool -K pklB0 tx off >/dev/null
capture_start "$NSA" pklA0 "$OUT/versioning.pcap" tcp port 9401
L="$HERE/lab.py"
ip netns exec "$NSB" python3 "$L" ver-server "$IPB" 9401 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" ver-client "$IPB" 9401
wait "$SRV"
capture_stop "$OUT/versioning.pcap"
