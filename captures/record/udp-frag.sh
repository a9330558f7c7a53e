#!/bin/bash
# udp-frag.pcap: UDP in depth on veth, MTU 1500 (captured at the client, pklA0). The client
# sends "reliable" game messages and resends each until the server's own 8-byte ACK for its seq
# comes back (the acknowledgements a game adds itself over UDP):
#   seq 1: 1200 bytes, fits one packet
#   seq 2: 3000 bytes, over the MTU: the kernel splits the IP packet into 3 fragments
#   seq 3: 3000 bytes, and nftables in pklB drops its second fragment (offset 1480) before
#          reassembly: the whole datagram is lost, no ACK, the game resends it after 0.3 s
# then a datagram to UDP port 9399, where nobody listens: ICMP port unreachable.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump nft nftables python3 python3
trap netns_down EXIT
netns_up
ip netns exec "$NSB" nft add table ip fragdrop
ip netns exec "$NSB" nft add chain ip fragdrop pre '{ type filter hook prerouting priority -450; policy accept; }'
capture_start "$NSA" pklA0 "$OUT/udp-frag.pcap" udp or icmp or '(ip[6:2] & 0x1fff != 0)'
L="$HERE/lab.py"
ip netns exec "$NSB" python3 "$L" udp-ack-server "$IPB" 9301 3 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$L" udp-client "$IPB" 9301 9399 \
    "ip netns exec $NSB nft add rule ip fragdrop pre ip frag-off '&' 0x1fff == 185 drop" \
    "sleep 0.1; ip netns exec $NSB nft flush chain ip fragdrop pre"
wait "$SRV"
capture_stop "$OUT/udp-frag.pcap"
