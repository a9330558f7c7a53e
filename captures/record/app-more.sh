#!/bin/bash
# captures/app/more.pcap: application traffic on loopback that pktlab was not tuned on when
# it was recorded (the session that added JSON, forms and DNS found by its header), for
# tests/json_tshark.rs, which prints it with -V and -T json beside tshark 4.0:
#   - a lobby's HTTP API on 127.0.0.1:8088 (app_more_peers.py, python's http.server): JSON
#     bodies (nested past tshark's parser limit, NDJSON, a body that does not parse, one
#     with text after it), a form POST; headers and body go in separate segments
#   - DNS on UDP 5300, a port DNS is not registered for (tshark finds it by its header):
#     A, AAAA, TXT, MX and a refused query (dnslib)
#   - UDP to a closed port on 127.0.0.1 and ::1: ICMP and ICMPv6 port unreachable quoting
#     the datagram and its payload
#   - TLS 1.3 and 1.2 on 127.0.0.1:8443 (openssl s_server -www, curl): a ServerHello that
#     chooses 1.3, encrypted alerts
#   - a WebSocket echo on 127.0.0.1:8765: texts, one of 300 characters, binary
# Needs root, tcpdump, python3 with `websockets` and `dnslib` (installed with pip), openssl,
# curl.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
python3 -c 'import dnslib, websockets' 2>/dev/null || pip install -q dnslib websockets
TMP="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
PEERS="$HERE/app_more_peers.py"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=lobby.local" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null

capture_start - lo "$APP/more.pcap" tcp port 8088 or udp port 5300 or udp port 9 or icmp or icmp6 or tcp port 8443 or tcp port 8765

# --- HTTP with JSON and a form
python3 "$PEERS" http-server 127.0.0.1 8088 &
PIDS+=($!)
sleep 1
python3 "$PEERS" http-client 127.0.0.1 8088

# --- DNS on a port of its own
python3 "$PEERS" dns-server 127.0.0.1 5300 &
PIDS+=($!)
sleep 1
python3 "$PEERS" dns-client 127.0.0.1 5300

# --- port unreachable, both IP versions (nothing listens on UDP 9)
echo hello > /dev/udp/127.0.0.1/9 || true
echo hi6 > /dev/udp/::1/9 || true
sleep 0.2

# --- TLS 1.3 and 1.2
openssl s_server -accept 127.0.0.1:8443 -cert "$TMP/cert.pem" -key "$TMP/key.pem" -www -quiet >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
curl -sk https://127.0.0.1:8443/ >/dev/null || true
curl -sk --tlsv1.2 --tls-max 1.2 https://127.0.0.1:8443/ >/dev/null || true

# --- WebSocket
python3 "$PEERS" ws-server 127.0.0.1 8765 &
PIDS+=($!)
sleep 1.5
python3 "$PEERS" ws-client 127.0.0.1 8765
sleep 0.5
capture_stop "$APP/more.pcap"

