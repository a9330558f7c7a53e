#!/bin/bash
# captures/app/xml.pcap: XML documents over HTTP on loopback (127.0.0.1:8082), for
# tests/json_tshark.rs, which prints it with -V and -T json beside tshark 4.0: a declaration
# with its three attributes, comments, CDATA sections, attributes quoted both ways and
# unquoted, prefixed names (spaced too), a document type with declarations and one with a
# public identifier, a style sheet instruction, SVG, Korean text, a log of 120 events (7 KB), a SOAP request, a bug report upload with two XML parts, text and an
# attribute longer than a tree line holds, documents in UTF-16 (both byte orders, one with a
# NUL in its text), and a document written wrong (a closing tag nothing
# opened, `<` in text, an escaped quote) (app_xml_peer.py, python's http.server).
# Needs root, tcpdump, python3.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
http_peer_capture "$APP/xml.pcap" 8082 "$HERE/app_xml_peer.py"
