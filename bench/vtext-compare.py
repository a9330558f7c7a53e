#!/usr/bin/env python3
"""Compare tshark -V with pktlab dissect -V --no-osi-tags, per frame, line multisets.

Both get the same checksum preferences (-o ip/tcp/udp.check_checksum:TRUE) and TZ=UTC;
NORESOLVE=1 adds -n to both (no MAC vendor names); EXTRA_PREFS="name:value ..." adds those -o
settings to both (e.g. tcp.desegment_tcp_streams:FALSE). PKTLAB_BIN picks the pktlab binary."""
import subprocess, sys, collections, os
PK = os.environ.get("PKTLAB_BIN", "/work/main/target/release/pktlab")
PREFS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
PREFS += [a for p in os.environ.get("EXTRA_PREFS", "").split() for a in ("-o", p)]
def frames(text):
    out, cur = [], None
    for line in text.split("\n"):
        if line.startswith("Frame ") and ":" in line and not line.startswith(" "):
            cur = []
            out.append(cur)
        if cur is not None and line != "":
            cur.append(line)
    return out
def layer_of(lines):
    """Each line's layer: the title line (column 0) above it, up to its first comma."""
    out, cur = [], "?"
    for l in lines:
        if l.startswith("Frame "):
            cur = "Frame"
        elif not l.startswith(" ") and not (len(l) > 6 and l[4:6] == "  " and all(c in "0123456789abcdef" for c in l[:4])):
            cur = l.split(",")[0].split(" (")[0][:40]
        out.append(cur)
    return out
by_layer = collections.Counter(); by_layer_tot = collections.Counter()
tot_t = tot_p = hit = 0
miss = collections.Counter(); extra = collections.Counter()
env = dict(os.environ, TZ="UTC")
for cap in sys.argv[1:]:
    NR = ["-n"] if os.environ.get("NORESOLVE") else []
    t = subprocess.run(["tshark"] + NR + ["-r", cap, "-V"] + PREFS, capture_output=True, text=True, env=env, errors="replace").stdout
    p = subprocess.run([PK, "dissect", "-V", "--no-osi-tags"] + NR + [cap] + PREFS, capture_output=True, text=True, env=env, errors="replace").stdout
    ft, fp = frames(t), frames(p)
    h = tt = 0
    for a, b in zip(ft, fp):
        ca, cb = collections.Counter(a), collections.Counter(b)
        inter = ca & cb
        left = collections.Counter(inter)
        for line, lay in zip(a, layer_of(a)):
            by_layer_tot[lay] += 1
            if left[line] > 0:
                left[line] -= 1
            else:
                by_layer[lay] += 1
        h += sum(inter.values()); tt += len(a)
        tot_p += len(b)
        for k, v in (ca - cb).items(): miss[k.strip()[:90]] += v
        for k, v in (cb - ca).items(): extra[k.strip()[:90]] += v
    for a in ft[len(fp):]:
        tt += len(a)
    hit += h; tot_t += tt
    print(f"{h/tt*100 if tt else 100:6.1f}% {tt:7d} {os.path.basename(cap)}" + ("" if len(ft)==len(fp) else f" frames {len(ft)} vs {len(fp)}"))
print(f"TOTAL recall {hit/tot_t*100:.2f}% ({hit}/{tot_t}), precision {hit/tot_p*100:.2f}% ({hit}/{tot_p})")
print("--- missing lines by layer (missing / tshark lines)")
for lay, v in by_layer.most_common(25): print(f"{v:7d} / {by_layer_tot[lay]:7d} {lay}")
n = int(os.environ.get("TOP", "40"))
print("--- top missing (tshark lines pktlab lacks)")
for k, v in miss.most_common(n): print(f"{v:7d} {k}")
print("--- top extra (pktlab lines tshark lacks)")
for k, v in extra.most_common(n): print(f"{v:7d} {k}")
