#!/bin/bash
# captures/app/quic-more.pcap: QUIC handshakes beyond the plain one, on loopback with aioquic
# (quic_more_peer.py), each on its own port: IPv6 ::1 with an RSA certificate (8451); an ALPN
# the server does not speak, closed by the server in its Initial (8452); a server that sends
# a Retry first (8453); a connection and then a second one resumed with its session ticket
# (pre_shared_key, 8454); a ClientHello of 61 ALPN names that spans two Initial packets
# (8455); QUIC version 2 behind a Retry (8456). The held-out check for the QUIC tree: Retry
# integrity tags, transport parameters, handshake fragments, coalesced padding,
# CONNECTION_CLOSE, version 2's numbers and keys.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump python3 python3 openssl openssl
python3 -c 'import aioquic' 2>/dev/null || pip install aioquic >/dev/null || { echo "missing aioquic: pip install aioquic" >&2; exit 1; }
APP="$OUT/app"
mkdir -p "$APP"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=game.pktlab.test \
    -keyout "$TMP/rsa.key" -out "$TMP/rsa.crt" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=game.pktlab.test -keyout "$TMP/ec.key" -out "$TMP/ec.crt" 2>/dev/null
capture_start - lo "$APP/quic-more.pcap" udp portrange 8451-8456
# run HOST PORT CERT SERVER_ALPN CLIENT_ALPN RETRY MODE
run() {
    python3 "$HERE/quic_more_peer.py" server "$1" "$2" "$TMP/$3.crt" "$TMP/$3.key" "$4" "$6" 3 &
    local srv=$!
    sleep 1
    timeout 10 python3 "$HERE/quic_more_peer.py" client "$1" "$2" "$5" "$7" || true
    wait "$srv"
}
run ::1 8451 rsa game game 0 basic
run 127.0.0.1 8452 ec game other 0 basic
run 127.0.0.1 8453 ec game game 1 basic
run 127.0.0.1 8454 ec game game 0 resume
run 127.0.0.1 8455 rsa game game 0 bigch
run 127.0.0.1 8456 ec game game 1 v2
capture_stop "$APP/quic-more.pcap"
