# Shared helpers for the recording scripts (sourced, not run).
# Two network namespaces joined by a veth pair, MTU 1500 (so the SYN announces MSS 1460):
#   pklA (10.77.0.1, veth pklA0)  <->  pklB (10.77.0.2, veth pklB0)
# Must run as root. Every script cleans up what it made, even on failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(cd "$HERE/.." && pwd)"
NSA=pklA
NSB=pklB
IPA=10.77.0.1
IPB=10.77.0.2

netns_up() {
    netns_down
    ip netns add "$NSA"
    ip netns add "$NSB"
    ip link add pklA0 netns "$NSA" type veth peer name pklB0 netns "$NSB"
    ip -n "$NSA" addr add "$IPA/24" dev pklA0
    ip -n "$NSB" addr add "$IPB/24" dev pklB0
    for ns in "$NSA" "$NSB"; do
        ip -n "$ns" link set lo up
        ip -n "$ns" link set dev "${ns}0" mtu 1500 up
    done
}

netns_down() {
    ip netns del "$NSA" 2>/dev/null || true
    ip netns del "$NSB" 2>/dev/null || true
}

# capture_start NS IFACE FILE FILTER... : tcpdump in the background; sets CAP_PID.
capture_start() {
    local ns="$1" ifc="$2" file="$3"
    shift 3
    CAP_LOG="$(mktemp)"
    if [ "$ns" = "-" ]; then
        tcpdump --immediate-mode -i "$ifc" -s 0 -U -w "$file" "$@" 2>"$CAP_LOG" &
    else
        ip netns exec "$ns" tcpdump --immediate-mode -i "$ifc" -s 0 -U -w "$file" "$@" 2>"$CAP_LOG" &
    fi
    CAP_PID=$!
    # wait until tcpdump says it is listening (a busy machine can take seconds)
    for _ in $(seq 100); do
        grep -q "listening on" "$CAP_LOG" && break
        sleep 0.1
    done
    sleep 0.5
}

capture_stop() {
    sleep 0.5
    kill -INT "$CAP_PID" 2>/dev/null || true
    wait "$CAP_PID" 2>/dev/null || true
    rm -f "$CAP_LOG"
    echo "wrote $1 ($(stat -c %s "$1") bytes, $(tcpdump -r "$1" 2>/dev/null | wc -l) packets)"
}

# http_peer_capture FILE PORT PEER : records FILE on lo (TCP port PORT) while PEER's HTTP
# server (`python3 PEER server 127.0.0.1 PORT`) answers its client (`… client …`), then stops
# the server (also when the client fails).
http_peer_capture() {
    local file="$1" port="$2" peer="$3"
    capture_start - lo "$file" tcp port "$port"
    python3 "$peer" server 127.0.0.1 "$port" &
    HTTP_PEER_PID=$!
    trap 'kill "$HTTP_PEER_PID" 2>/dev/null || true' EXIT
    sleep 1
    python3 "$peer" client 127.0.0.1 "$port"
    sleep 0.5
    capture_stop "$file"
}

# need CMD PACKAGE ... : installs (apt-get) each missing tool, or stops with a clear message.
need() {
    while [ $# -ge 2 ]; do
        if ! command -v "$1" >/dev/null 2>&1; then
            echo "installing $2 (for $1)" >&2
            apt-get install -y "$2" >/dev/null 2>&1 || { echo "missing $1: apt-get install $2" >&2; exit 1; }
        fi
        shift 2
    done
}
