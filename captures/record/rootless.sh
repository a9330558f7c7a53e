#!/bin/bash
# Records a capture without root: runs COMMAND in a new user and network namespace
# (`unshare --user --map-root-user --net`, allowed for ordinary users when the kernel permits
# unprivileged user namespaces), brings its loopback up and captures it with pcapdump.py (a
# packet socket; tcpdump refuses to run there because it cannot drop privileges). Only
# 127.0.0.1/::1 inside that namespace exist, so the traffic cannot leave it.
#
#   captures/record/rootless.sh OUT.pcap 'PORT ...' -- 'python3 server.py & sleep 0.5; python3 client.py'
#
# PORTS (space-separated, may be empty) keeps only TCP/UDP frames on those ports. COMMAND runs
# in a shell inside the namespace; start servers with `&` and end with the client.
# Needs python3 and util-linux's unshare; no nftables/veth (those need real root).
set -euo pipefail
if [ $# -lt 4 ] || [ "$3" != "--" ]; then
    echo "usage: $0 OUT.pcap FILTER -- COMMAND..." >&2
    exit 2
fi
OUTFILE="$(realpath -m "$1")"
PORTS="$2"
shift 3
for t in python3 unshare ip; do
    command -v "$t" >/dev/null || { echo "missing $t (apt-get install python3 util-linux iproute2)" >&2; exit 1; }
done
if [ -z "${PKTLAB_IN_NS:-}" ]; then
    exec unshare --user --map-root-user --net env PKTLAB_IN_NS=1 "$0" "$OUTFILE" "$PORTS" -- "$@"
fi
ip link set lo up
LOG="$(mktemp)"
# shellcheck disable=SC2086
python3 "$(dirname "$0")/pcapdump.py" lo "$OUTFILE" $PORTS 2>"$LOG" &
CAP=$!
for _ in $(seq 100); do grep -q "listening on" "$LOG" && break; sleep 0.1; done
sleep 0.3
sh -c "$*"
sleep 0.5
kill -INT "$CAP"
wait "$CAP" || true
rm -f "$LOG"
echo "wrote $OUTFILE"
