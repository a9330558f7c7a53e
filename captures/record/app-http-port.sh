#!/bin/bash
# captures/app/http-port.pcap: a game server's own protocol on 127.0.0.1:8080, a port tshark
# hands to HTTP whatever it carries, for tests/json_tshark.rs (-V, summary lines and -T json
# beside tshark 4.0). Nine connections (app_http_port_peer.py lists them): bytes that start no
# HTTP message are HTTP's continuation once a request was read on the connection, and shown
# as nothing before; `GET /map` without its empty line waits for the rest of the request;
# printable bytes with no line end wait for one; `ICY 200 OK` is a response.
# Needs root, tcpdump, python3.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
http_peer_capture "$APP/http-port.pcap" 8080 "$HERE/app_http_port_peer.py"
