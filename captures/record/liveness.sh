#!/bin/bash
# Four ways a peer stops answering, each recorded in fresh namespaces on veth and captured at
# the client (pklA0):
#   kill.pcap       the server process is killed (SIGKILL): its kernel closes the socket with
#                   a FIN, because nothing was left unread
#   deadlink.pcap   the link dies silently (nftables in pklB drops everything on port 9102 both
#                   ways): the client's data is retransmitted with a doubling timeout and
#                   nothing ever comes back
#   keepalive.pcap  TCP keep-alive (idle 1 s, interval 1 s, 3 probes): answered probes, then
#                   the path is cut and the kernel gives up with a RST
#   heartbeat.pcap  an application heartbeat (type 4, length 0) every 0.3 s; the client's loop
#                   then hangs while its socket stays open, and the server's 1 s heartbeat
#                   timeout closes the connection
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump nft nftables python3 python3
trap netns_down EXIT
L="$HERE/lab.py"
CUT="ip netns exec $NSB nft add rule inet cut"

fresh() {
    netns_up
    ip netns exec "$NSB" nft add table inet cut
    ip netns exec "$NSB" nft add chain inet cut input '{ type filter hook input priority 0; policy accept; }'
    ip netns exec "$NSB" nft add chain inet cut output '{ type filter hook output priority 0; policy accept; }'
    capture_start "$NSA" pklA0 "$OUT/$1.pcap" tcp port "$2"
}

# 1. killed process
fresh kill 9101
ip netns exec "$NSB" python3 "$L" hold-server "$IPB" 9101 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" hold-client "$IPB" 9101 "sleep 0.5; kill -KILL $SRV" 3
wait "$SRV" 2>/dev/null || true
capture_stop "$OUT/kill.pcap"
netns_down

# 2. silent dead link
fresh deadlink 9102
ip netns exec "$NSB" python3 "$L" hold-server "$IPB" 9102 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" hold-client "$IPB" 9102 \
    "$CUT input tcp dport 9102 drop; $CUT output tcp sport 9102 drop" 6.5 "ARE YOU THERE?\n"
capture_stop "$OUT/deadlink.pcap"
kill -KILL "$SRV" 2>/dev/null || true
wait "$SRV" 2>/dev/null || true
netns_down

# 3. TCP keep-alive
fresh keepalive 9103
ip netns exec "$NSB" python3 "$L" hold-server "$IPB" 9103 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" keepalive-client "$IPB" 9103 \
    "$CUT input tcp dport 9103 drop; $CUT output tcp sport 9103 drop"
capture_stop "$OUT/keepalive.pcap"
kill -KILL "$SRV" 2>/dev/null || true
wait "$SRV" 2>/dev/null || true
netns_down

# 4. application heartbeat timeout
fresh heartbeat 9104
ip netns exec "$NSB" python3 "$L" hb-server "$IPB" 9104 1.0 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" hb-client "$IPB" 9104 3 0.3
wait "$SRV"
capture_stop "$OUT/heartbeat.pcap"
