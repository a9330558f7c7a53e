#!/bin/bash
# game.pcap: pktlab's own demo game on loopback for 3 seconds, 2 clients, 20 ticks/s:
# TCP 27777 (login, chat, heartbeats; framed type:u16 len:u16 + payload, some writes
# split and some batched on purpose) and UDP 27778 (state updates with the sender's own
# seq counter). nftables drops about 5% of the clients' UDP inputs in the output hook,
# before they reach the wire, so the capture shows gaps in game seq numbers (a lost UDP
# datagram is simply never seen again). Needs `cargo build` first (uses target/debug/pktlab).
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${PKTLAB_BIN:-$ROOT/target/debug/pktlab}"
cleanup() { nft delete table inet pktlab_lessons_loss 2>/dev/null || true; }
trap cleanup EXIT
nft -f - <<'NFT'
table inet pktlab_lessons_loss {
    chain output {
        type filter hook output priority 0; policy accept;
        udp dport 27778 numgen random mod 100 < 5 drop
    }
}
NFT
capture_start - lo "$OUT/game.pcap" port 27777 or port 27778
"$BIN" demo-traffic --port 27777 --duration 3s --clients 2 --tick-hz 20
capture_stop "$OUT/game.pcap"
