#!/usr/bin/env bash
# Live capture throughput on loopback: gamesim at full speed while tcpdump -w and pktlab live -w
# record the same ports side by side; prints packets/s of each, pktlab's user-space and kernel
# drops, and whether pktlab's file holds what tcpdump's holds.
# usage: bench/live.sh [SECONDS] [--tui]   (needs root, tcpdump, tmux for --tui; loopback only)
# With --tui, pktlab runs its TUI inside a detached tmux session (as a user would watch it).
set -euo pipefail
secs=${1:-10}
tui=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
sim=${GAMESIM:-$root/../shared/bench/gamesim.py}
[ -f "$sim" ] || { echo "live.sh: $sim not found (../shared missing)" >&2; exit 1; }
bin=$root/target/release/pktlab
[ -x "$bin" ] || (cd "$root" && cargo build --release -q)
work=$(mktemp -d)
trap 'rm -rf "$work"; tmux kill-session -t pktlab-bench 2>/dev/null || true' EXIT
port=$((20000 + RANDOM % 20000))
filt="port $port or port $((port + 1))"

tcpdump -U -i lo -n -s 262144 -w "$work/tcpdump.pcap" "$filt" 2>"$work/tcpdump.err" &
tdp=$!
if [ "$tui" = "--tui" ]; then
  tmux new-session -d -s pktlab-bench -x 120 -y 40 \
    "$bin live -i lo -f '$filt' -w $work/pktlab.pcapng --duration $((secs + 3))s 2>$work/pktlab.err"
else
  "$bin" live -i lo --no-tui -q -f "$filt" -w "$work/pktlab.pcapng" --duration "$((secs + 3))s" 2>"$work/pktlab.err" &
fi
sleep 1.5
python3 "$sim" --port "$port" --clients 16 --hz 0 --ticks 100000000 --seconds "$secs" >/dev/null 2>&1 || true
sleep 3
# The TUI stays open for inspection after --duration; quit it as a user would.
[ "$tui" = "--tui" ] && { sleep 1; tmux send-keys -t pktlab-bench q; }
kill -INT $tdp 2>/dev/null || true
wait $tdp 2>/dev/null || true
for _ in $(seq 1 60); do grep -q "packets written" "$work/pktlab.err" 2>/dev/null && break; sleep 0.5; done

count() { "$bin" dissect -T fields -e frame.number --no-analysis "$1" 2>/dev/null | wc -l; }
td=$(count "$work/tcpdump.pcap")
pk=$(count "$work/pktlab.pcapng")
echo "gamesim ran ${secs}s at full speed on loopback ($( [ "$tui" = --tui ] && echo 'pktlab TUI running' || echo 'pktlab --no-tui'))"
echo "tcpdump -w : $td packets ($(echo "scale=0; $td / $secs" | bc) pkt/s)"
echo "pktlab -w  : $pk packets ($(echo "scale=0; $pk / $secs" | bc) pkt/s)"
grep -E "drop|captured|written" "$work/pktlab.err" | sed 's/^/pktlab: /' || true
grep -E "captured|received|dropped" "$work/tcpdump.err" | sed 's/^/tcpdump: /' || true
if [ "$td" -gt 0 ]; then
  echo "pktlab/tcpdump packet ratio: $(echo "scale=4; $pk / $td" | bc)"
fi
