#!/bin/bash
# quic.pcap: QUIC (RFC 9000) on the loopback of a namespace, with Python aioquic: the client
# opens a connection (ALPN "pktlab-game", throwaway self-signed certificate), sends three
# messages on three streams, each echoed back in upper case, pings and closes. Everything is
# UDP port 4433; after the first packets every byte but the packet header is encrypted.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump python3 python3 openssl openssl
python3 -c 'import aioquic' 2>/dev/null || pip install aioquic >/dev/null || { echo "missing aioquic: pip install aioquic" >&2; exit 1; }
TMP="$(mktemp -d)"
cleanup() { netns_down; rm -rf "$TMP"; }
trap cleanup EXIT
netns_up
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=game.pktlab.test -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
capture_start "$NSA" lo "$OUT/quic.pcap" udp port 4433
ip netns exec "$NSA" python3 "$HERE/quic_peer.py" server 127.0.0.1 4433 "$TMP/cert.pem" "$TMP/key.pem" &
SRV=$!
sleep 1
ip netns exec "$NSA" python3 "$HERE/quic_peer.py" client 127.0.0.1 4433
wait "$SRV"
capture_stop "$OUT/quic.pcap"
