#!/bin/bash
# loopback.pcap: the same request/reply over 127.0.0.1. Loopback's MTU is 65536, so the
# SYN announces MSS 65495 (65535 - 20 - 20); checksums are left to "offload" (not computed).
source "$(dirname "$0")/lib.sh"
capture_start - lo "$OUT/loopback.pcap" tcp port 18080
python3 "$HERE/peers.py" serve-reply 127.0.0.1 18080 3000 &
SRV=$!
sleep 0.5
python3 "$HERE/peers.py" fetch 127.0.0.1 18080
wait "$SRV"
capture_stop "$OUT/loopback.pcap"
