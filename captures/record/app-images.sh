#!/bin/bash
# captures/app/images.pcap: PNG images over HTTP on loopback (127.0.0.1:8081), for
# tests/json_tshark.rs, which prints it with -V and -T json beside tshark 4.0: pictures with
# every chunk tshark reads (IHDR, gAMA, cHRM, sRGB, pHYs, tIME, tEXt, bKGD in its three
# sizes, and the others as data: iTXt, zTXt, PLTE, tRNS, a private chunk), one of 30 KB in
# many segments, pictures cut short (in a chunk's data, in its length, after the signature),
# a chunk too long to read, bodies that say image/png but are not, a PNG sent as bytes,
# as a type nobody reads, with no type and gzip-encoded, an upload of images as a
# multipart form, a report upload with a text log, a JSON summary and a cut JSON part, and
# the same upload without its boundary (app_images_peer.py, python's http.server).
# Needs root, tcpdump, python3.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
http_peer_capture "$APP/images.pcap" 8081 "$HERE/app_images_peer.py"
