#!/bin/bash
# decode-as.pcap: protocols on ports their dissectors do not know, for `-d` ("decode as"):
# a DNS query and answer on UDP 5300 (peers.py dns-server and dns-query), then an HTTP GET
# and its answer on TCP 9000 (python's http.server and curl), all on loopback.
source "$(dirname "$0")/lib.sh"
capture_start - lo "$OUT/decode-as.pcap" udp port 5300 or tcp port 9000
python3 "$HERE/peers.py" dns-server 127.0.0.1 5300 &
SRV=$!
sleep 0.5
python3 "$HERE/peers.py" dns-query 127.0.0.1 5300 lobby.pktlab.test
wait "$SRV"
WEB=$(mktemp -d)
echo '{"players":12,"region":"kr"}' > "$WEB/status.json"
(cd "$WEB" && exec python3 -m http.server 9000 --bind 127.0.0.1) >/dev/null 2>&1 &
HTTPD=$!
sleep 1
curl -s -o /dev/null http://127.0.0.1:9000/status.json
kill "$HTTPD"; wait "$HTTPD" 2>/dev/null || true
rm -rf "$WEB"
capture_stop "$OUT/decode-as.pcap"
