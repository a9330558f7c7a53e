#!/bin/bash
# rst.pcap: connecting to a port nobody listens on (127.0.0.1:18099): SYN, then RST/ACK.
source "$(dirname "$0")/lib.sh"
capture_start - lo "$OUT/rst.pcap" tcp port 18099
python3 "$HERE/peers.py" connect-closed 127.0.0.1 18099
capture_stop "$OUT/rst.pcap"
