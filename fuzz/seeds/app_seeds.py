#!/usr/bin/env python3
"""Fuzz seeds for the application-layer targets, cut from the project's recorded captures.

usage: app_seeds.py OUT_DIR MODE CAPTURE...
  MODE tcp:   one seed per capture: a cut byte, then every TCP payload of the capture in
              order (the target splits it into segments again, both ways).
  MODE udp:   one seed per capture: the UDP payloads joined by 0xff (the target splits there).
  MODE udp:67,68  the same, only datagrams from or to those ports.
Reads pcap files with Ethernet (1) or Linux cooked (113) link types, IPv4 and IPv6.
"""
import os
import struct
import sys


def packets(path):
    b = open(path, 'rb').read()
    if len(b) < 24:
        return
    magic = b[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return
    lt = struct.unpack_from(e + 'I', b, 20)[0] & 0xffff
    pos = 24
    while pos + 16 <= len(b):
        cap = struct.unpack_from(e + 'I', b, pos + 8)[0]
        yield lt, b[pos + 16:pos + 16 + cap]
        pos += 16 + cap


def l4(lt, f):
    """(protocol number, transport bytes) of an IPv4/IPv6 frame, or None."""
    if lt == 1 and len(f) >= 14:
        et, off = struct.unpack_from('>H', f, 12)[0], 14
    elif lt == 113 and len(f) >= 16:
        et, off = struct.unpack_from('>H', f, 14)[0], 16
    else:
        return None
    if et == 0x0800 and len(f) >= off + 20:
        ihl = (f[off] & 15) * 4
        return f[off + 9], f[off + ihl:]
    if et == 0x86dd and len(f) >= off + 40:
        return f[off + 6], f[off + 40:]
    return None


def main():
    out, mode, caps = sys.argv[1], sys.argv[2], sys.argv[3:]
    mode, _, ports = mode.partition(':')
    ports = {int(p) for p in ports.split(',') if p}
    os.makedirs(out, exist_ok=True)
    for cap in caps:
        parts = []
        for lt, f in packets(cap):
            p = l4(lt, f)
            if not p:
                continue
            proto, t = p
            if mode == 'tcp' and proto == 6 and len(t) >= 20:
                payload = t[(t[12] >> 4) * 4:]
                if payload:
                    parts.append(payload)
            elif mode == 'udp' and proto == 17 and len(t) >= 8 and (not ports or ports & set(struct.unpack_from('>HH', t, 0))):
                parts.append(t[8:])
        if not parts:
            continue
        seed = b'\x03' + b''.join(parts) if mode == 'tcp' else b'\xff'.join(parts)
        name = os.path.join(out, os.path.basename(cap) + '.seed')
        open(name, 'wb').write(seed[:65536])
        print(f'{name}: {len(parts)} payloads')


main()
