#!/usr/bin/env python3
"""A minimal packet capture for rootless.sh: reads every frame of one interface from a Linux
packet socket (AF_PACKET, which an ordinary user may open inside their own user+network
namespace) and writes a classic pcap file (Ethernet link type, as loopback uses), until
SIGINT/SIGTERM. Standard library only. Usage: pcapdump.py IFACE OUT.pcap [PORT ...]
(with ports, only TCP/UDP frames from or to one of them are kept)."""
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def keep(frame, ports):
    if not ports:
        return True
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
        return False
    ihl = (frame[14] & 0x0F) * 4
    if frame[23] not in (6, 17) or len(frame) < 14 + ihl + 4:
        return False
    sport, dport = struct.unpack(">HH", frame[14 + ihl:14 + ihl + 4])
    return sport in ports or dport in ports


def main():
    iface, out = sys.argv[1], sys.argv[2]
    ports = {int(p) for p in sys.argv[3:]}
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.2)
    stop = []
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        print("listening on", iface, file=sys.stderr, flush=True)
        while not stop:
            try:
                frame, addr = s.recvfrom(262144)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            # on loopback each frame is seen once, as outgoing (PACKET_OUTGOING = 4)
            if iface == "lo" and addr[2] != 4:
                continue
            if not keep(frame, ports):
                continue
            t = time.time()
            sec = int(t)
            f.write(struct.pack("<IIII", sec, int((t - sec) * 1e6), len(frame), len(frame)) + frame)
            f.flush()


if __name__ == "__main__":
    main()
