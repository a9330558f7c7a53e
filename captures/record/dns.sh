#!/bin/bash
# dns.pcap: dig asks a tiny DNS server (peers.py dns-server, a real UDP socket on
# 127.0.0.1:53) for the A record of game.pktlab.test; one query, one answer.
source "$(dirname "$0")/lib.sh"
capture_start - lo "$OUT/dns.pcap" udp port 53
python3 "$HERE/peers.py" dns-server 127.0.0.1 53 &
SRV=$!
sleep 0.5
dig @127.0.0.1 -p 53 +tries=1 +time=2 +noedns game.pktlab.test A
wait "$SRV"
capture_stop "$OUT/dns.pcap"
