#!/usr/bin/env python3
"""Compare `tshark -T json` with `pktlab dissect -T json`, leaf by leaf, per frame.

A leaf is the key path from the protocol layer down (`tcp/tcp.flags_tree/tcp.flags.syn`) and
its value string. Objects keep their duplicate keys (tshark writes a repeated field once per
occurrence, `tcp.options.nop` twice), so each frame's leaves are a multiset. An array value
(tshark writes none without --no-duplicate-keys) counts its elements under `KEY[]`, and an
empty object is one leaf with the value `{}`, so neither passes for tshark's form.

    bench/json-compare.py CAPTURE...        (PKTLAB_BIN, default target/release/pktlab)

Both sides run with TZ=UTC and the same -o ip/tcp/udp.check_checksum:TRUE (pktlab, like tshark, then
leaves a segment whose TCP checksum is wrong unreassembled).
Environment: TSHARK_CACHE=DIR keeps tshark's output between runs; FORMAT=jsonraw compares `-T jsonraw`; NORESOLVE=1 passes -n to both;
EXTRA_PREFS="name:value ..." adds those -o settings to both sides (e.g. tcp.desegment_tcp_streams:FALSE);
TOP=N sets how many missing/extra leaf paths to list (default 30); VALUES=1 lists them with
their values. Prints per-capture recall (tshark's leaves pktlab has) and precision (pktlab's
leaves tshark has), then the totals; exits 1 if a run fails.
"""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PK = os.environ.get("PKTLAB_BIN", os.path.join(HERE, "..", "target", "release", "pktlab"))
FORMAT = os.environ.get("FORMAT", "json")
PREFS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]
EXTRA_PREFS = os.environ.get("EXTRA_PREFS", "").split()
PREFS += [a for p in EXTRA_PREFS for a in ("-o", p)]
NORESOLVE = ["-n"] if os.environ.get("NORESOLVE") else []
TOP = int(os.environ.get("TOP", "30"))
VALUES = bool(os.environ.get("VALUES"))


def pairs(items):
    """object_pairs_hook: keep every key, duplicates included, in order."""
    return ("obj", items)


def leaves(node, path, out):
    if isinstance(node, tuple) and node[0] == "obj":
        if not node[1]:
            out.append((path, "{}"))
        for k, v in node[1]:
            leaves(v, path + "/" + k if path else k, out)
    elif isinstance(node, list):
        for v in node:
            leaves(v, path + "[]", out)
    elif node is None:
        out.append((path, "null"))
    else:
        out.append((path, str(node)))


def frame_leaves(text):
    """Per frame, the leaves under _source.layers (layer name first in each path)."""
    frames = []
    for pkt in json.loads(text, object_pairs_hook=pairs):
        src = dict(pkt[1]).get("_source")
        layers = dict(src[1]).get("layers") if src else None
        out = []
        if layers is not None:
            leaves(layers, "", out)
        frames.append(out)
    return frames


def run(cmd, cache=None):
    """Runs cmd (TZ=UTC), its output kept under $TSHARK_CACHE when cache names a file there."""
    path = None
    if cache and os.environ.get("TSHARK_CACHE"):
        st = os.stat(cache[0])
        key = f"{os.path.basename(cache[0])}.{st.st_size}.{int(st.st_mtime)}.{cache[1]}"
        path = os.path.join(os.environ["TSHARK_CACHE"], key)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    out = run_plain(cmd)
    if path and out is not None:
        os.makedirs(os.environ["TSHARK_CACHE"], exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(out)
    return out


def run_plain(cmd):
    env = dict(os.environ, TZ="UTC")
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode != 0 and not p.stdout:
        sys.stderr.write(f"failed: {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}\n")
        return None
    return p.stdout.decode("utf-8", errors="replace")


def main(caps):
    tot_t = tot_p = hit = 0
    miss = collections.Counter()
    extra = collections.Counter()
    failed = False
    for cap in caps:
        t = run(["tshark", "-r", cap, "-T", FORMAT] + NORESOLVE + PREFS, (cap, FORMAT + ("n" if NORESOLVE else "") + "".join("-" + p for p in EXTRA_PREFS)))
        p = run([PK, "dissect", "-T", FORMAT] + NORESOLVE + [cap] + PREFS)
        if t is None or p is None:
            failed = True
            continue
        try:
            ft, fp = frame_leaves(t), frame_leaves(p)
        except (ValueError, TypeError) as e:
            sys.stderr.write(f"{cap}: unreadable JSON: {e}\n")
            failed = True
            continue
        h = nt = np_ = 0
        for i in range(max(len(ft), len(fp))):
            a = collections.Counter(ft[i] if i < len(ft) else [])
            b = collections.Counter(fp[i] if i < len(fp) else [])
            h += sum((a & b).values())
            nt += sum(a.values())
            np_ += sum(b.values())
            for (k, v), n in (a - b).items():
                miss[(k, v) if VALUES else k] += n
            for (k, v), n in (b - a).items():
                extra[(k, v) if VALUES else k] += n
        hit += h
        tot_t += nt
        tot_p += np_
        note = "" if len(ft) == len(fp) else f"  frames {len(ft)} vs {len(fp)}"
        rec = h / nt * 100 if nt else 100.0
        pre = h / np_ * 100 if np_ else 100.0
        print(f"recall {rec:6.2f}%  precision {pre:6.2f}%  {nt:7d} {np_:7d}  {os.path.basename(cap)}{note}")
    rec = hit / tot_t * 100 if tot_t else 100.0
    pre = hit / tot_p * 100 if tot_p else 100.0
    print(f"TOTAL recall {rec:.2f}% ({hit}/{tot_t}), precision {pre:.2f}% ({hit}/{tot_p})")
    print("--- top missing (tshark leaves pktlab lacks)")
    for k, n in miss.most_common(TOP):
        print(f"{n:7d} {k if not VALUES else k[0] + ' = ' + repr(k[1])}")
    print("--- top extra (pktlab leaves tshark lacks)")
    for k, n in extra.most_common(TOP):
        print(f"{n:7d} {k if not VALUES else k[0] + ' = ' + repr(k[1])}")
    return 1 if failed else 0


if __name__ == "__main__":
    caps = [c for c in sys.argv[1:] if not c.endswith((".tsv", ".md", ".err"))]
    if not caps:
        sys.exit(__doc__)
    sys.exit(main(caps))
