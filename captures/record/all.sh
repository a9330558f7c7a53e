#!/bin/bash
# Re-records every capture. Lessons refer to frame numbers of the committed files, so after
# re-recording, `pktlab lessons check lessons` will point at every step that needs rewriting.
set -euo pipefail
cd "$(dirname "$0")"
for s in handshake loopback ipv6 rst dns framing bulk-loss zero-window tls game liveness nagle udp-frag lb versioning quic decode-as; do
    echo "== $s"
    "./$s.sh"
done
