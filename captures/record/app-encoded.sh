#!/bin/bash
# captures/app/encoded.pcap: HTTP bodies in content codings on loopback (127.0.0.1:8080),
# for tests/json_tshark.rs, which prints it with -V and -T json beside tshark 4.0: gzip
# (JSON and text), deflate with and without its zlib header, brotli, chunked gzip, 110 KB
# of text from 1 KB of gzip, an empty gzip body, a body that is not gzip, a gzip body cut
# short, `identity`, and `compress` (which nobody decodes); bodies of media types tshark has
# no dissector for and octet-stream; cookies and Basic credentials; multipart form-data and
# mixed bodies; headers and body go in
# separate segments (app_encoded_peer.py, python's http.server). Then a protobuf POST with
# `Expect: 100-continue` on a second connection.
# Needs root, tcpdump, python3 with `brotli` (installed with pip).
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
python3 -c 'import brotli' 2>/dev/null || pip install -q brotli
http_peer_capture "$APP/encoded.pcap" 8080 "$HERE/app_encoded_peer.py"
