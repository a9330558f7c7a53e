#!/usr/bin/env bash
# Issue 18's measure: a 64-byte UDP flood on loopback (iperf3 -u -b 0 -l 64) while tcpdump -w,
# then pktlab live --no-tui -q -w, capture it, back to back in the same run. Prints for each:
# datagrams the sender reached (its offered rate), datagrams kept in the file, kernel drops,
# and the capturer's CPU seconds; then pktlab's kept share and its sender rate against
# tcpdump's. usage: bench/live-flood.sh [SECONDS]   (root, iperf3, tcpdump; loopback only)
set -euo pipefail
secs=${1:-5}
cd "$(dirname "$0")/.."
for t in iperf3 tcpdump; do command -v $t >/dev/null || { echo "live-flood.sh: $t is not installed" >&2; exit 1; }; done
cargo build --release --quiet
bin=target/release/pktlab
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((30000 + RANDOM % 20000))
iperf3 -s -p "$port" -1 >/dev/null 2>&1 &
srv=$!
sleep 0.5

# flood LABEL: runs the sender for $secs seconds; prints the datagrams it sent.
flood() {
  iperf3 -c 127.0.0.1 -p "$port" -u -b 0 -l 64 -t "$secs" -J > "$work/$1.json" 2>/dev/null || true
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["end"]["sum"]["packets"])' "$work/$1.json"
}
count() { python3 - "$1" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
n = 0
if b[:4] == b'\x0a\x0d\x0d\x0a':
    pos = 0
    while pos + 12 <= len(b):
        t, l = struct.unpack_from('<II', b, pos)
        if l < 12: break
        n += t == 6
        pos += l
else:
    pos = 24
    while pos + 16 <= len(b):
        cap = struct.unpack_from('<I', b, pos + 8)[0]
        n += 1
        pos += 16 + cap
print(n)
PY
}

# tcpdump
/usr/bin/time -f "%U %S" -o "$work/td.time" tcpdump -i lo -n -s 262144 -B 32768 -w "$work/td.pcap" "udp port $port" 2>"$work/td.err" &
cap=$!; sleep 1
sent_td=$(flood td); sleep 0.5
pkill -INT -P $cap || true; wait $cap 2>/dev/null || true
kept_td=$(count "$work/td.pcap")
kdrop_td=$(grep -oE '[0-9]+ packets dropped by kernel' "$work/td.err" | grep -oE '^[0-9]+' || echo "?")
cpu_td=$(awk '{print $1+$2}' "$work/td.time")
iperf3 -s -p "$port" -1 >/dev/null 2>&1 &
srv=$!; sleep 0.5

# pktlab
/usr/bin/time -f "%U %S" -o "$work/pk.time" "$bin" live -i lo --no-tui -q -f "udp port $port" -w "$work/pk.pcapng" --duration "$((secs + 3))s" 2>"$work/pk.err" &
cap=$!; sleep 1
sent_pk=$(flood pk); sleep 0.5
pkill -INT -P $cap || true; wait $cap 2>/dev/null || true
kept_pk=$(count "$work/pk.pcapng")
kdrop_pk=$(grep -oE 'dropped: [0-9]+ by the kernel' "$work/pk.err" | grep -oE '[0-9]+' || echo "?")
cpu_pk=$(awk '{print $1+$2}' "$work/pk.time")

printf '%-8s %12s %12s %12s %8s\n' "" "sent" "kept" "kernel drops" "CPU s"
printf '%-8s %12s %12s %12s %8s\n' tcpdump "$sent_td" "$kept_td" "$kdrop_td" "$cpu_td"
printf '%-8s %12s %12s %12s %8s\n' pktlab "$sent_pk" "$kept_pk" "$kdrop_pk" "$cpu_pk"
python3 -c 'import sys; s_td,k_td,s_pk,k_pk=map(int,sys.argv[1:]); print(f"pktlab kept {100*k_pk/max(s_pk,1):.2f}% of what was sent; sender rate with pktlab {100*s_pk/max(s_td,1):.1f}% of the rate with tcpdump (tcpdump kept {100*k_td/max(s_td,1):.2f}%)")' "$sent_td" "$kept_td" "$sent_pk" "$kept_pk"
