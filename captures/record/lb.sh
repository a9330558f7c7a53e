#!/bin/bash
# lb.pcap: an L4 load balancer next to an L7 one, captured on every interface of the balancer's
# namespace (tcpdump -i any: Linux cooked capture, SLL2, whose interface index tells the legs
# apart). Three namespaces: the client pklA (10.77.0.1), the balancer pklB (10.77.0.2 towards
# the client, 10.78.0.1 towards the backend) and the backend pklC (10.78.0.2, HTTP on 8080).
#   port 80:   L4, like AWS NLB: nftables DNAT in pklB rewrites the destination and forwards
#              the packets; one TCP connection from client to backend, the backend sees the
#              client's own address
#   port 8081: L7, like AWS ALB: a reverse proxy (lab.py http-proxy) ends the client's TCP
#              connection, reads the HTTP request and opens a second connection to the backend,
#              adding X-Forwarded-For and a sticky-session cookie; a second request carries it
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump nft nftables python3 python3
NSC=pklC
cleanup() { netns_down; ip netns del "$NSC" 2>/dev/null || true; }
trap cleanup EXIT
netns_up
ip netns del "$NSC" 2>/dev/null || true
ip netns add "$NSC"
ip link add pklB1 netns "$NSB" type veth peer name pklC0 netns "$NSC"
ip -n "$NSB" addr add 10.78.0.1/24 dev pklB1
ip -n "$NSC" addr add 10.78.0.2/24 dev pklC0
ip -n "$NSB" link set pklB1 mtu 1500 up
ip -n "$NSC" link set pklC0 mtu 1500 up
ip -n "$NSC" link set lo up
ip -n "$NSA" route add default via "$IPB"
ip -n "$NSC" route add default via 10.78.0.1
ip netns exec "$NSB" sysctl -qw net.ipv4.ip_forward=1
for n in "$NSA" "$NSB" "$NSC"; do
    for i in $(ip -n "$n" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^lo$'); do
        ip netns exec "$n" ethtool -K "$i" tx off >/dev/null 2>&1 || true
    done
done
ip netns exec "$NSB" nft -f - <<'NFT'
table ip lb {
    chain pre {
        type nat hook prerouting priority -100; policy accept;
        tcp dport 80 dnat to 10.78.0.2:8080
    }
}
NFT
capture_start "$NSB" any "$OUT/lb.pcap" tcp port 80 or tcp port 8080 or tcp port 8081
L="$HERE/lab.py"
ip netns exec "$NSC" python3 "$L" http-backend 10.78.0.2 8080 3 &
BACK=$!
ip netns exec "$NSB" python3 "$L" http-proxy "$IPB" 8081 10.78.0.2 8080 2 &
PROXY=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" http-get "$IPB" 80 /l4
sleep 0.3
ip netns exec "$NSA" python3 "$L" http-get "$IPB" 8081 /l7
sleep 0.3
ip netns exec "$NSA" python3 "$L" http-get "$IPB" 8081 /l7-again lb=backend-1
wait "$PROXY" "$BACK"
capture_stop "$OUT/lb.pcap"
