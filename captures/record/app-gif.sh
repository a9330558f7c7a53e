#!/bin/bash
# captures/app/gif.pcap: GIF images over HTTP on loopback (127.0.0.1:8083), for
# tests/json_tshark.rs, which prints it with -V and -T json beside tshark 4.0: GIF89a with a
# global colour table, an aspect ratio and every extension tshark names (graphics control,
# comment, application, plain text), two frames (one with its own table, interlaced), GIF87a,
# one of 20 KB in many segments, a stray byte between blocks, an extension nobody names and
# bytes after the trailer, pictures cut short (in a data block, in an image's descriptor, in
# the global table), one without its trailer, bodies that say image/gif but are not (another
# version, text, too short), a GIF sent as bytes, as a type nobody reads, with no type and
# gzip-encoded, and an upload with a GIF part (app_gif_peer.py, python's http.server).
# Needs root, tcpdump, python3.
source "$(dirname "$0")/lib.sh"
APP="$OUT/app"
mkdir -p "$APP"
http_peer_capture "$APP/gif.pcap" 8083 "$HERE/app_gif_peer.py"
