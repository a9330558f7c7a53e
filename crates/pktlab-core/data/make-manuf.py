#!/usr/bin/env python3
"""Regenerates manuf.bin, the MAC vendor table pktlab embeds (crates/pktlab-core/src/dissect/oui.rs).

    crates/pktlab-core/data/make-manuf.py [MANUF [WKA]]

Inputs are Wireshark's `manuf` (derived from the public IEEE registries MA-L, MA-M, MA-S, CID
and IAB) and `wka` (well-known addresses) files, by default the ones tshark installs
(/usr/share/wireshark/). They are read as Wireshark 4.0's addr_resolv.c reads them: `#`
starts a comment; the address (`:`, `-` or `.` between bytes) may end in `/BITS`; then a
short name (up to a blank), then an optional long name (up to a tab); names are cut to 63
bytes (MAXNAMELEN). Three bytes without a mask are a vendor (OUI) entry, six bytes without a
mask an exact address, anything else a masked range; `manuf` is read before `wka`, and a
later entry for the same key replaces the earlier one.

Output (uncompressed, so that reading it costs no time at start-up), all integers little-endian:
    b"PKOUI1\\0\\0"
    u32 n_strings, then each string: u8 length, UTF-8 bytes
    u32 n_vendors, then each: 3 bytes OUI, u32 short name index, u32 long name index
    u32 n_ranges,  then each: u8 kind (48: an exact address, 0: a range), 6 bytes address
                              (a range's with the bits past its mask cleared), u32 name index
Vendors are sorted by OUI, ranges by (kind, address). A range's own mask length is not kept:
Wireshark 4.0 keeps every range in one table keyed by the masked address, and resolving
tries masks from 47 bits down, so the first mask at which the address's prefix equals any
key decides (see oui.rs).
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAXNAMELEN = 64


def cut(s):
    b = s.encode("utf-8")[: MAXNAMELEN - 1]
    return b.decode("utf-8", errors="ignore")


def parse_address(text):
    mask = None
    if "/" in text:
        text, m = text.split("/", 1)
        mask = int(m)
    parts = re.split(r"[:.\-]", text)
    if len(parts) not in (3, 4, 5, 6) or not all(re.fullmatch(r"[0-9A-Fa-f]{1,2}", p) for p in parts):
        return None
    b = [int(p, 16) for p in parts] + [0] * (6 - len(parts))
    if mask is None:
        if len(parts) == 3:
            mask = 0
        elif len(parts) == 6:
            mask = 48
        else:
            return None
    if mask > 48:
        return None
    return bytes(b), mask


def read(path, vendors, ranges):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if "#" in line:
                line = line[: line.index("#")].rstrip()
            m = re.match(r"([^ \t]+)[ \t]+([^ \t]+)(?:[ \t](.*))?$", line)
            if not m:
                continue
            parsed = parse_address(m.group(1))
            if parsed is None:
                continue
            addr, mask = parsed
            short = cut(m.group(2))
            rest = m.group(3)
            if rest is not None:
                rest = rest.lstrip("\t").split("\t", 1)[0]
            long = cut(rest) if rest else short
            if mask == 0:
                vendors[addr[:3]] = (short, long)
            else:
                # Exact addresses and ranges share one table keyed by the address with
                # the bits past its mask cleared (Wireshark's wka_hashtable; exact ones in
                # its eth_hashtable, marked here by mask 48).
                if mask == 48:
                    ranges[(48, bytes(addr))] = short
                else:
                    full, bits = divmod(mask, 8)
                    masked = bytearray(addr)
                    if full < 6:
                        masked[full] &= (0xFF << (8 - bits)) & 0xFF
                        for i in range(full + 1, 6):
                            masked[i] = 0
                    ranges[(0, bytes(masked))] = short


def main():
    manuf = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wireshark/manuf"
    wka = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/wireshark/wka"
    vendors, ranges = {}, {}
    read(manuf, vendors, ranges)
    read(wka, vendors, ranges)
    strings, index = [], {}

    def intern(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    out = bytearray(b"PKOUI1\0\0")
    vend = sorted((k, intern(s), intern(l)) for k, (s, l) in vendors.items())
    rng = sorted((m, a, intern(s)) for (m, a), s in ranges.items())
    out += struct.pack("<I", len(strings))
    for s in strings:
        b = s.encode("utf-8")
        out += struct.pack("<B", len(b)) + b
    out += struct.pack("<I", len(vend))
    for k, s, l in vend:
        out += k + struct.pack("<II", s, l)
    out += struct.pack("<I", len(rng))
    for m, a, s in rng:
        out += struct.pack("<B", m) + a + struct.pack("<I", s)
    dest = os.path.join(HERE, "manuf.bin")
    with open(dest, "wb") as f:
        f.write(bytes(out))
    print(f"{dest}: {len(vend)} vendors, {len(rng)} ranges, {len(strings)} names, {os.path.getsize(dest)} bytes")


if __name__ == "__main__":
    main()
