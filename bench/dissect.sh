#!/usr/bin/env bash
# Benchmark (issues 2 and 3): pktlab dissect vs tshark vs tcpdump on a 1,000,000-packet
# game-like capture recorded on loopback. Prints wall time, peak memory and ratios.
# usage: bench/dissect.sh [CAPTURE]   (default: records target/bench/game-1m.pcap)
set -euo pipefail
cd "$(dirname "$0")/.."
cap=${1:-target/bench/game-1m.pcap}
[ -n "${1:-}" ] || bench/game-capture.sh "$cap" 1000000
cargo build --release --quiet
bin=target/release/pktlab
fields=(-e frame.number -e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e ip.proto
        -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags
        -e tcp.window_size_value -e tcp.len -e udp.srcport -e udp.dstport -e udp.length)
filter='tcp.flags.syn == 1 && tcp.port == 7777'
# The capture's own TCP port (gamesim picks one per recording): filter on it so matches exist.
port=$($bin dissect -c 50 -T fields -e tcp.dstport "$cap" 2>/dev/null | grep -m1 . || true)
[ -n "$port" ] && filter="tcp.flags.syn == 1 && tcp.port == $port"

run() { # label, command...  -> prints "label seconds peakKiB" to stdout
  local label=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$t" "$@" > /dev/null 2>/tmp/bench.err || { echo "$label failed:" >&2; tail -3 /tmp/bench.err >&2; }
  read -r secs kib < "$t"; rm -f "$t"
  printf '%-34s %8.2f s %8.1f MiB\n' "$label" "$secs" "$(awk -v k="$kib" 'BEGIN{print k/1024}')" >&2
  echo "$secs $kib"
}
echo "capture: $cap ($(stat -c %s "$cap") bytes)" >&2
read -r p_s p_m < <(run "pktlab dissect -T fields" $bin dissect -T fields "${fields[@]}" "$cap")
read -r p1_s _ < <(run "pktlab dissect (summary lines)" $bin dissect "$cap")
read -r pf_s pf_m < <(run "pktlab dissect -Y '$filter'" $bin dissect -Y "$filter" "$cap")
read -r d_s _ < <(run "tcpdump -n -r" tcpdump -n -r "$cap")
read -r t_s t_m < <(run "tshark -T fields" tshark -n -r "$cap" -T fields "${fields[@]}")
read -r tf_s _ < <(run "tshark -Y '$filter'" tshark -n -r "$cap" -Y "$filter")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", a / (b + 0.001)}'; }
mib() { awk -v k="$1" 'BEGIN{printf "%d", k/1024}'; }
echo
echo "dissect -T fields: $(ratio "$t_s" "$p_s")x faster than tshark (target >= 30x), $(ratio "$d_s" "$p_s")x tcpdump -n -r (target > 1x); peak $(mib "$p_m") MiB (target < 100)"
echo "dissect -Y filter: $(ratio "$tf_s" "$pf_s")x faster than tshark -Y (target >= 30x); peak $(mib "$pf_m") MiB"
echo "summary lines:     $(ratio "$d_s" "$p1_s")x tcpdump -n -r"
