#!/bin/bash
# ipv6.pcap: the request/reply over IPv6 loopback (::1): 40-byte IPv6 header, MSS 65476.
source "$(dirname "$0")/lib.sh"
capture_start - lo "$OUT/ipv6.pcap" ip6 and tcp port 18081
python3 "$HERE/peers.py" serve-reply ::1 18081 2000 &
SRV=$!
sleep 0.5
python3 "$HERE/peers.py" fetch ::1 18081
wait "$SRV"
capture_stop "$OUT/ipv6.pcap"
