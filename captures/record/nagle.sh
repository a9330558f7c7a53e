#!/bin/bash
# nagle.pcap: the write-write-read pattern on veth (captured at the client, pklA0). Each of 6
# requests is sent as two send() calls, a 4-byte header then a 20-byte body, and the client
# waits for the server's 8-byte reply. Port 9201: Nagle's algorithm on (the default), so the
# body waits until the header is acknowledged, and the server delays that ACK; port 9202: the
# same client with TCP_NODELAY, both writes leave at once.
source "$(dirname "$0")/lib.sh"
need tcpdump tcpdump python3 python3
trap netns_down EXIT
netns_up
capture_start "$NSA" pklA0 "$OUT/nagle.pcap" tcp portrange 9201-9202
L="$HERE/lab.py"
for p in 9201:nagle 9202:nodelay; do
    port=${p%%:*}
    ip netns exec "$NSB" python3 "$L" req-server "$IPB" "$port" 6 24 &
    SRV=$!
    sleep 0.5
    ip netns exec "$NSA" python3 "$L" req-client "$IPB" "$port" 6 "${p##*:}"
    wait "$SRV"
    sleep 0.3
done
capture_stop "$OUT/nagle.pcap"
