#!/usr/bin/env bash
# Drives the real pktlab binary under tmux on the 1M-packet game capture and prints:
#   time to first rows, time until the status bar reports every frame loaded, time until the
#   background analysis finishes, time for `G` (jump to the last frame) and for a display
#   filter over all frames, and peak RSS (VmHWM).
# usage: bench/tui-load.sh [CAPTURE] [--termshark]
#   CAPTURE defaults to /work/bench-data/game-1m.pcap (made by bench/game-capture.sh if absent).
#   --termshark also times termshark's first rows and full load on the same file (slow).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cap=/work/bench-data/game-1m.pcap
ts=0
for a in "$@"; do
  case $a in
    --termshark) ts=1 ;;
    *) cap=$a ;;
  esac
done
command -v tmux >/dev/null || { echo "tui-load.sh: tmux not installed" >&2; exit 1; }
[ -f "$cap" ] || "$here/game-capture.sh" "$cap" 1000000
(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/pktlab
frames=$(python3 - "$cap" <<'PY'
import struct, sys
f = open(sys.argv[1], 'rb'); h = f.read(24)
e = '<' if h[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
n = 0
while True:
    r = f.read(16)
    if len(r) < 16: break
    f.seek(struct.unpack(e + 'IIII', r)[2], 1); n += 1
print(n)
PY
)
sess=pktlab-bench-$$
now() { echo "$EPOCHREALTIME"; }
screen() { tmux capture-pane -p -t "$sess" 2>/dev/null || true; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
wait_for() { # PATTERN TIMEOUT_S -> prints the time when the screen first matches
  local deadline=$(( ${EPOCHREALTIME%.*} + $2 ))
  while :; do
    if screen | grep -qE "$1"; then now; return 0; fi
    if [ "${EPOCHREALTIME%.*}" -gt "$deadline" ]; then echo "timeout waiting for /$1/" >&2; screen >&2; return 1; fi
    sleep 0.005
  done
}
hwm() { awk '/VmHWM/ {print $2 / 1024 " MiB"}' "/proc/$1/status" 2>/dev/null || echo "?"; }

echo "capture: $cap ($frames frames, $(du -h "$cap" | cut -f1))"
t0=$(now)
tmux new-session -d -s "$sess" -x 120 -y 40 "exec $bin --lang ko '$cap'"
pid=$(tmux display -p -t "$sess" '#{pane_pid}')
t_first=$(wait_for '^ +1 0\.000000 ' 10)
t_loaded=$(wait_for "모두 읽음 $frames" 60)
rss_loaded=$(hwm "$pid")
t_analysed=$(wait_for "모두 읽음 $frames │ $(basename "$cap")" 120)
rss_analysed=$(hwm "$pid")
t1=$(now); tmux send-keys -t "$sess" G
t_end=$(wait_for "^ *$frames [0-9]+\.[0-9]{6} " 10)
t2=$(now); tmux send-keys -t "$sess" / 'udp.length > 100' Enter
sleep 0.05
t_filtered=$(wait_for "필터: udp.length > 100 │" 300)
rss_end=$(hwm "$pid")
shown=$(screen | grep -oE '[0-9]+/[0-9]+ 프레임' | head -1)
tmux send-keys -t "$sess" q
for _ in $(seq 100); do tmux has-session -t "$sess" 2>/dev/null || break; sleep 0.05; done
tmux kill-session -t "$sess" 2>/dev/null || true
echo "pktlab: first rows           $(elapsed "$t0" "$t_first") s"
echo "pktlab: all $frames loaded   $(elapsed "$t0" "$t_loaded") s   (peak RSS $rss_loaded)"
echo "pktlab: analysis finished    $(elapsed "$t0" "$t_analysed") s   (peak RSS $rss_analysed)"
echo "pktlab: G to last frame      $(elapsed "$t1" "$t_end") s"
echo "pktlab: filter udp.length > 100 over all frames $(elapsed "$t2" "$t_filtered") s ($shown; peak RSS $rss_end)"

if [ "$ts" = 1 ] && command -v termshark >/dev/null; then
  sess=termshark-bench-$$
  t0=$(now)
  tmux new-session -d -s "$sess" -x 120 -y 40 "exec termshark -r '$cap'"
  pid=$(tmux display -p -t "$sess" '#{pane_pid}')
  t_first=$(wait_for '^│? *1 +0\.000' 120) || true
  peak=0
  # termshark shows no "all loaded" line we can match reliably; wait for its tshark children to exit.
  while pgrep -P "$pid" >/dev/null 2>&1; do
    cur=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    kids=$(for c in $(pgrep -P "$pid"); do awk '/VmRSS/ {print $2}' "/proc/$c/status" 2>/dev/null; done | awk '{s+=$1} END {print s+0}')
    tot=$((cur + kids)); [ "$tot" -gt "$peak" ] && peak=$tot
    sleep 0.5
  done
  t_loaded=$(now)
  echo "termshark: first rows        $(elapsed "$t0" "$t_first") s"
  echo "termshark: loading finished  $(elapsed "$t0" "$t_loaded") s (peak RSS incl. tshark children $((peak / 1024)) MiB)"
  tmux kill-session -t "$sess" 2>/dev/null || true
fi
