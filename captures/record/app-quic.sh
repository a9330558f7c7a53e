#!/bin/bash
# captures/app/quic.pcap: a QUIC session held out from the dissector's tuning (the QUIC code
# was written against captures/quic.pcap and the public tcpdump-quic_handshake.pcap): aioquic
# on 127.0.0.1:8443 with ALPN "h3" and SNI lobby.pktlab.test, three short streams and one of
# 30 kB, so Initial, Handshake and many 1-RTT packets go each way. Writes tshark 4.0's oracle
# to tests/app/quic.pcap.app.tsv / .appflags.tsv when ../shared's make-app-oracle.sh is there.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump python3 python3 openssl openssl
python3 -c 'import aioquic' 2>/dev/null || pip install aioquic >/dev/null || { echo "missing aioquic: pip install aioquic" >&2; exit 1; }
APP="$OUT/app"
TESTS="$(cd "$OUT/.." && pwd)/tests/app"
mkdir -p "$APP" "$TESTS"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=lobby.pktlab.test -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
capture_start - lo "$APP/quic.pcap" udp port 8443
python3 "$HERE/quic_peer.py" server 127.0.0.1 8443 "$TMP/cert.pem" "$TMP/key.pem" h3 &
SRV=$!
sleep 1
python3 "$HERE/quic_peer.py" client 127.0.0.1 8443 h3 lobby.pktlab.test 30000
wait "$SRV"
capture_stop "$APP/quic.pcap"
ORACLE="$(cd "$OUT/../.." && pwd)/shared/captures/make-app-oracle.sh"
if [ -x "$ORACLE" ] || [ -f "$ORACLE" ]; then
    bash "$ORACLE" "$APP/quic.pcap"
    mv "$APP/quic.pcap.app.tsv" "$APP/quic.pcap.appflags.tsv" "$TESTS/"
fi
