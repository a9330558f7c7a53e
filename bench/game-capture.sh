#!/usr/bin/env bash
# Records a real game-like capture on loopback with ../shared/bench/gamesim.py and tcpdump.
# usage: bench/game-capture.sh OUT.pcap [PACKETS]   (default 1,000,000 packets)
# Reuses OUT if it already holds the requested number of packets. Loopback only.
set -euo pipefail
out=${1:?usage: game-capture.sh OUT.pcap [PACKETS]}
want=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
sim=${GAMESIM:-$here/../../shared/bench/gamesim.py}
[ -f "$sim" ] || { echo "game-capture.sh: $sim not found (../shared missing)" >&2; exit 1; }
command -v tcpdump >/dev/null || { echo "game-capture.sh: tcpdump not installed" >&2; exit 1; }
if [ -f "$out" ] && [ -f "$out.count" ] && [ "$(cat "$out.count")" = "$want" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
port=$((20000 + RANDOM % 20000))
tcpdump -i lo -n -s 262144 -c "$want" -w "$out" "port $port or port $((port + 1))" 2>/tmp/game-capture.tcpdump.log &
tdp=$!
sleep 1
# As fast as possible, many clients, until tcpdump has its packets (bounded to 10 minutes).
python3 "$sim" --port "$port" --clients 16 --hz 0 --ticks 10000000 --seconds 600 >/dev/null 2>&1 &
sim_pid=$!
for _ in $(seq 1 600); do
  kill -0 $tdp 2>/dev/null || break
  kill -0 $sim_pid 2>/dev/null || break
  sleep 1
done
kill $sim_pid 2>/dev/null || true
wait $tdp 2>/dev/null || true
wait $sim_pid 2>/dev/null || true
got=$(tcpdump -n -r "$out" 2>/dev/null | wc -l)
echo "$got" > "$out.count"
echo "recorded $got packets into $out (port $port/$((port + 1)))" >&2
[ "$got" = "$want" ] || { echo "game-capture.sh: wanted $want packets, got $got" >&2; exit 1; }
