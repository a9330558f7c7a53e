#!/bin/bash
# captures/app/*.pcap: application-layer sessions on loopback, held out from the public set,
# and their tshark 4.0 oracles (tests/app/NAME.app.tsv, .appflags.tsv, made with
# ../shared/captures/make-app-oracle.sh when it and tshark are there):
#   http.pcap       python http.server on 127.0.0.1:8080: GET / (a 200 kB body over several
#                   segments), GET of a missing page (404), HEAD, POST with a JSON body
#   websocket.pcap  python `websockets` echo server on 127.0.0.1:8765: text, binary, ping,
#                   a 70 kB text message (64-bit length), close with a code and reason
#   tls.pcap        openssl s_server/s_client on 127.0.0.1:443, TLS 1.2 and TLS 1.3, SNI and ALPN
#   quic.pcap       recorded by app-quic.sh (aioquic, ALPN h3, SNI lobby.pktlab.test, 30 kB stream)
# Needs root, tcpdump, python3 with `websockets`, openssl.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
TESTS="$(cd "$OUT/.." && pwd)/tests/app"
mkdir -p "$APP" "$TESTS"
TMP="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

# --- HTTP
head -c 200000 /dev/zero | tr '\0' 'a' > "$TMP/index.html"
capture_start - lo "$APP/http.pcap" tcp port 8080
(cd "$TMP" && exec python3 -m http.server 8080 --bind 127.0.0.1) >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
python3 "$HERE/app_peers.py" http 127.0.0.1 8080
capture_stop "$APP/http.pcap"

# --- WebSocket
capture_start - lo "$APP/websocket.pcap" tcp port 8765
python3 "$HERE/app_peers.py" ws-server 127.0.0.1 8765 &
PIDS+=($!)
sleep 1
python3 "$HERE/app_peers.py" ws-client 127.0.0.1 8765
capture_stop "$APP/websocket.pcap"

# --- TLS
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=game.local" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
capture_start - lo "$APP/tls.pcap" tcp port 443
for v in -tls1_2 -tls1_3; do
    openssl s_server -accept 127.0.0.1:443 -cert "$TMP/cert.pem" -key "$TMP/key.pem" -alpn h2,http/1.1 -naccept 1 -quiet "$v" </dev/null >/dev/null 2>&1 &
    SRV=$!
    sleep 1
    echo "hello over tls" | timeout 5 openssl s_client -connect 127.0.0.1:443 -servername game.local -alpn h2 "$v" -quiet >/dev/null 2>&1 || true
    wait "$SRV" 2>/dev/null || true
done
capture_stop "$APP/tls.pcap"

ORACLE="$(cd "$OUT/../.." && pwd)/shared/captures/make-app-oracle.sh"
if [ -x "$ORACLE" ] || [ -f "$ORACLE" ]; then
    if command -v tshark >/dev/null; then
        for f in http websocket tls; do
            bash "$ORACLE" "$APP/$f.pcap"
            mv "$APP/$f.pcap.app.tsv" "$TESTS/$f.pcap.app.tsv"
            mv "$APP/$f.pcap.appflags.tsv" "$TESTS/$f.pcap.appflags.tsv"
        done
    else
        echo "tshark is absent: oracles not made"
    fi
else
    echo "$ORACLE is absent: oracles not made"
fi
