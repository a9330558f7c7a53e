#!/bin/bash
# tls.pcap: the same login (a JSON line with a password) sent twice on loopback: first in
# the clear to port 18000, then over TLS to port 18443 (python ssl, self-signed certificate
# made with openssl for this recording only). The cleartext JSON is readable in the capture;
# the TLS one shows a handshake and then only Application Data records.
source "$(dirname "$0")/lib.sh"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=game.local" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
capture_start - lo "$OUT/tls.pcap" tcp port 18000 or tcp port 18443
python3 "$HERE/peers.py" json-server 127.0.0.1 18000 &
SRV=$!
sleep 0.5
python3 "$HERE/peers.py" json-client 127.0.0.1 18000
wait "$SRV"
python3 "$HERE/peers.py" json-server 127.0.0.1 18443 "$TMP/cert.pem" "$TMP/key.pem" &
SRV=$!
sleep 0.5
python3 "$HERE/peers.py" json-client 127.0.0.1 18443 tls
wait "$SRV"
capture_stop "$OUT/tls.pcap"
