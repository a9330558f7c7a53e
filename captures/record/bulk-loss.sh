#!/bin/bash
# bulk-loss.pcap: 120 KB sent from pklA to pklB over veth while nftables in pklB drops
# about 4% of the data segments arriving at the receiver (`numgen random mod 100 < 4 drop` in
# pklB's input hook; tc netem is not available here). The capture is the sender's view (on
# pklA0), as a server's own capture would be: a segment goes out and is lost on the way, the
# receiver answers the following segments with duplicate ACKs carrying SACK blocks, and the
# sender retransmits. Only segments with payload are dropped (length > 100), so the handshake
# and ACKs survive. Segmentation/receive offloads are off so netfilter sees real segments.
source "$(dirname "$0")/lib.sh"
trap netns_down EXIT
netns_up
ip netns exec "$NSA" ethtool -K pklA0 tx off tso off gso off >/dev/null
ip netns exec "$NSB" ethtool -K pklB0 tx off tso off gso off gro off >/dev/null
ip netns exec "$NSB" nft -f - <<'NFT'
table inet loss {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 9000 meta length > 100 numgen random mod 100 < 4 drop
    }
}
NFT
capture_start "$NSA" pklA0 "$OUT/bulk-loss.pcap" tcp port 9000
ip netns exec "$NSB" python3 "$HERE/peers.py" sink "$IPB" 9000 &
SRV=$!
sleep 0.5
ip netns exec "$NSA" python3 "$HERE/peers.py" blast "$IPB" 9000 120000
wait "$SRV"
capture_stop "$OUT/bulk-loss.pcap"
