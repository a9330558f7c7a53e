#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each and prints the executions per target.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets it use the stable toolchain.
# Crashes land in fuzz/artifacts/<target>/; copy each into tests/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-600}
# Every target in fuzz_targets/ unless TARGETS names some.
TARGETS=${TARGETS:-$(ls fuzz_targets | sed 's/\.rs$//' | tr '\n' ' ')}
export RUSTC_BOOTSTRAP=1
PUB=../../shared/captures/public
# seed_bodies CAP CODE: each HTTP body CAP carries (tshark exports them), in the order of
# their names, through python CODE, which sees `out` (the target's corpus), `n` (the body's
# number) and `body`; nothing when tshark or CAP is missing.
seed_bodies() {
  command -v tshark >/dev/null && [ -f "$1" ] || return 0
  local objs
  objs=$(mktemp -d)
  tshark -n -r "$1" --export-objects "http,$objs" >/dev/null 2>&1 || true
  python3 - "corpus/$t" "$objs" <<PY
import os, sys
out, objs = sys.argv[1], sys.argv[2]
for n, name in enumerate(sorted(os.listdir(objs))):
    body = open(os.path.join(objs, name), "rb").read()
$(sed 's/^/    /' <<<"$2")
PY
  rm -rf "$objs"
}
for t in $TARGETS; do
  [ -f "fuzz_targets/$t.rs" ] || { echo "$t: no such target, skipped"; continue; }
  mkdir -p "corpus/$t"
  case $t in
    capture_file)
      cp seeds/*.pcap* "corpus/$t/" 2>/dev/null || true
      [ -d $PUB ] && for f in $PUB/*.pcap $PUB/*.pcapng; do cp "$f" "corpus/$t/"; done
      [ -d ../captures ] && cp ../captures/*.pcap* "corpus/$t/" 2>/dev/null || true ;;
    json)
      # Each JSON and form body the app captures carry, one seed each (tshark reads them out),
      # after a byte that picks the media type.
      if command -v tshark >/dev/null; then
        for f in ../captures/app/more.pcap ../captures/app/http.pcap ../captures/decode-as.pcap; do
          [ -f "$f" ] || continue
          tshark -n -r "$f" -Y 'json || urlencoded-form' -T fields -e http.file_data 2>/dev/null \
            | python3 -c 'import sys
n = 0
for l in sys.stdin:
    l = l.rstrip("\n")
    if l:
        n += 1
        open("%s/%s.%d" % (sys.argv[1], sys.argv[2], n), "wb").write(bytes([n % 4]) + l.encode())' "corpus/$t" "$(basename "$f")"
        done
      fi; true ;;
    multipart)
      # Each multipart body of the encoded and images captures (parts of bytes, of unknown
      # types, PNG, text and JSON), after a byte that picks its Content-Type (boundary XyZ:
      # the bodies with another get it in the first pick's place).
      if command -v tshark >/dev/null && [ -f ../captures/app/encoded.pcap ]; then
        python3 - "corpus/$t" ../captures/app/encoded.pcap ../captures/app/images.pcap <<'PY'
import subprocess, sys
out = sys.argv[1]
for cap in sys.argv[2:]:
    name = cap.rsplit("/", 1)[-1].split(".")[0]
    rows = subprocess.run(["tshark", "-n", "-r", cap, "-Y", "mime_multipart", "-T", "fields", "-e", "tcp.reassembled.data"], capture_output=True, text=True).stdout
    for n, row in enumerate(rows.splitlines()):
        raw = bytes.fromhex(row.split(",")[0].replace(":", "")) if row else b""
        body = raw.split(b"\r\n\r\n", 1)[-1].replace(b"------lobbyBoundary7MA4YWxk", b"XyZ").replace(b"----lobbyImages", b"XyZ")
        for pick in range(5):
            open("%s/%s.%d.%d" % (out, name, n, pick), "wb").write(bytes([pick]) + body)
PY
      fi; true ;;
    png)
      # Each image the images capture carries, without its signature, after a byte that
      # picks how it is sent.
      seed_bodies ../captures/app/images.pcap '
if body.startswith(b"\x89PNG\r\n\x1a\n"):
    for pick in range(5):
        open("%s/images.%d.%d" % (out, n, pick), "wb").write(bytes([pick]) + body[8:])' ;;
    gif)
      # Each image the gif capture carries, without its version, after a byte that picks
      # the version and how it is sent.
      seed_bodies ../captures/app/gif.pcap '
if body[:6] in (b"GIF87a", b"GIF89a"):
    old = 0x80 if body[:6] == b"GIF87a" else 0
    for pick in range(6):
        open("%s/gif.%d.%d" % (out, n, pick), "wb").write(bytes([old | pick]) + body[6:])' ;;
    xml)
      # Each XML body the xml capture carries, after a byte that picks the media type and the
      # segments.
      seed_bodies ../captures/app/xml.pcap '
for pick in range(4):
    open("%s/xml.%d.%d" % (out, n, pick), "wb").write(bytes([(pick + 4 * n) % 256]) + body)' ;;
    http_encoded)
      # Each coded body of the encoded capture as it went on the wire, and decoded (to be
      # compressed again), after the bytes that pick the coding and the way it is sent.
      if command -v tshark >/dev/null && [ -f ../captures/app/encoded.pcap ]; then
        python3 - "corpus/$t" ../captures/app/encoded.pcap <<'PY'
import subprocess, sys
out, cap = sys.argv[1], sys.argv[2]
codings = ["gzip", "deflate", "x-gzip", "br", "compress", "GZIP"]
rows = subprocess.run(["tshark", "-n", "-r", cap, "-Y", "http.content_encoding", "-T", "fields", "-e", "http.content_encoding", "-e", "tcp.reassembled.data", "-e", "http.file_data"], capture_output=True, text=True).stdout
for n, row in enumerate(rows.splitlines()):
    coding, whole, decoded = (row.split("\t") + ["", "", ""])[:3]
    pick = bytes([codings.index(coding) if coding in codings else 4])
    raw = bytes.fromhex(whole.replace(":", "")) if whole else b""
    body = raw.split(b"\r\n\r\n", 1)[-1]
    open("%s/coded.%d" % (out, n), "wb").write(pick + bytes([0]) + body)
    open("%s/plain.%d" % (out, n), "wb").write(pick + bytes([1 | 4 * (n % 4)]) + decoded.encode())
PY
      fi; true ;;
    http|websocket)
      python3 seeds/app_seeds.py "corpus/$t" tcp ../captures/app/http.pcap ../captures/app/websocket.pcap ../captures/lb.pcap ;;
    tls)
      python3 seeds/app_seeds.py "corpus/$t" tcp ../captures/app/tls.pcap ../captures/tls.pcap ;;
    x509)
      # Each certificate the TLS captures carry, one seed each (tshark reads them out).
      if command -v tshark >/dev/null; then
        for f in ../captures/app/tls.pcap ../captures/tls.pcap $PUB/ndpi-netflix.pcap $PUB/ndpi-reddit.pcap; do
          [ -f "$f" ] || continue
          tshark -n -r "$f" -Y tls.handshake.certificate -T fields -e tls.handshake.certificate 2>/dev/null \
            | python3 -c 'import sys
n = 0
for l in sys.stdin:
    for h in l.strip().split(","):
        if h:
            n += 1
            open("%s/%s.%d.der" % (sys.argv[1], sys.argv[2], n), "wb").write(bytes.fromhex(h.replace(":", "")))' "corpus/$t" "$(basename "$f")"
        done
      fi; true ;;
    quic)
      python3 seeds/app_seeds.py "corpus/$t" udp ../captures/quic.pcap; [ -f $PUB/tcpdump-quic_handshake.pcap ] && python3 seeds/app_seeds.py "corpus/$t" udp $PUB/tcpdump-quic_handshake.pcap ;;
    quic_initial)
      # The decrypted contents of the Initial packets of pktlab's and the public QUIC captures
      # (tshark's "Decrypted QUIC" data sources), a capture's packets in one seed.
      if command -v tshark >/dev/null; then
        for f in ../captures/quic.pcap ../captures/app/quic.pcap $PUB/tcpdump-quic_handshake.pcap; do
          [ -f "$f" ] || continue
          tshark -n -r "$f" -x -Y 'quic.long.packet_type == 0' 2>/dev/null | python3 -c '
import re, sys
out, cur, on = [], [], False
for line in sys.stdin:
    if line.startswith("Decrypted QUIC"):
        on, cur = True, []
        continue
    if on and not line.strip():
        out.append(bytes(cur)); on = False
        continue
    m = re.match(r"^[0-9a-f]{4}  ((?:[0-9a-f]{2} ?)+)", line)
    if on and m:
        cur += bytes.fromhex(m.group(1).replace(" ", ""))
if on: out.append(bytes(cur))
out and open(sys.argv[1], "wb").write(b"\xff".join(out))' "corpus/$t/$(echo "$f" | tr / _).seed"
        done
      fi; true ;;
    dhcp)
      # (The public DHCP traffic is in pcapng files: tshark reads out the datagrams.)
      [ -d $PUB ] && python3 seeds/app_seeds.py "corpus/$t" udp:67,68 $PUB/*.pcap
      if [ -d $PUB ] && command -v tshark >/dev/null; then
        for f in $PUB/*.pcapng; do
          tshark -n -r "$f" -Y 'udp.port == 67 || udp.port == 68' -T fields -e udp.payload 2>/dev/null \
            | python3 -c 'import sys; d=[bytes.fromhex(l.strip()) for l in sys.stdin if l.strip()]; d and open(sys.argv[1], "wb").write(b"\xff".join(d))' "corpus/$t/$(basename "$f").seed"
        done
      fi; true ;;
    pipe)
      # The project's captures as they are and gzip-compressed (a stream may be either).
      for f in ../captures/*.pcap; do
        cp "$f" "corpus/$t/"
        gzip -c "$f" > "corpus/$t/$(basename "$f").gz"
      done ;;
    compressed)
      # gzip and zstd copies of the project's captures (zstd only where the tool exists).
      for f in ../captures/*.pcap; do
        gzip -c "$f" > "corpus/$t/$(basename "$f").gz"
        command -v zstd >/dev/null && zstd -q -c "$f" > "corpus/$t/$(basename "$f").zst"
      done; true ;;
    dissect)
      # One frame per file: a link-type selector byte, then the frame's bytes.
      python3 - "corpus/$t" seeds $PUB ../captures <<'PY'
import os, struct, sys, glob
out = sys.argv[1]
sel = {1: 0, 0: 1, 108: 2, 101: 3, 228: 4, 229: 5, 113: 6, 276: 7, 127: 8}
n = 0
for d in sys.argv[2:]:
    for p in glob.glob(os.path.join(d, '*.pcap')):
        b = open(p, 'rb').read()
        if len(b) < 24 or b[:4] not in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'): continue
        lt = struct.unpack_from('<I', b, 20)[0] & 0xffff
        if lt not in sel: continue
        pos = 24
        for _ in range(200):
            if pos + 16 > len(b): break
            cap = struct.unpack_from('<I', b, pos + 8)[0]
            frame = b[pos + 16: pos + 16 + cap]
            open(os.path.join(out, f'{os.path.basename(p)}-{pos}'), 'wb').write(bytes([sel[lt]]) + frame)
            n += 1
            pos += 16 + cap
print(f'dissect corpus: {n} frames')
PY
      ;;
    filter)
      [ -f ../tests/filters.txt ] && awk 'NF && $0 !~ /^#/' ../tests/filters.txt | split -l 1 - "corpus/$t/f-"
      [ -f ../tests/filters_malformed.txt ] && awk 'NF && $0 !~ /^#/' ../tests/filters_malformed.txt | split -l 1 - "corpus/$t/m-" ;;
    game_proto)
      cp ../protos/*.toml "corpus/$t/" ;;
    lesson_pack)
      # Each seed: the built-in manifest, a line "----", one built-in lesson.
      for l in ../lessons/[0-9]*.toml; do
        { cat ../lessons/pack.toml; printf '\n----\n'; cat "$l"; } > "corpus/$t/$(basename "$l")"
      done
      for d in ../tests/packs/*/; do
        [ -f "$d/pack.toml" ] || continue
        for l in "$d"*.toml; do
          [ "$(basename "$l")" = pack.toml ] && continue
          { cat "$d/pack.toml"; printf '\n----\n'; cat "$l"; } > "corpus/$t/$(basename "$d")-$(basename "$l")"
        done
      done ;;
    lessons_report)
      # A small CSV and JSON report as written by `pktlab lessons report`.
      printf 'pack,lesson,step,kind,first_try,tries,correct,seconds\n"a, ""b""",01-layers,2,compute,true,1,true,12.5\n' > "corpus/$t/seed.csv"
      printf '[{"pack":"p","lesson":"l","step":1,"kind":"hunt","first_try":false,"tries":3,"correct":false,"seconds":40.0}]' > "corpus/$t/seed.json" ;;
  esac
  echo "== $t: ${SECS}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=1024 -timeout=10 -max_len=70000 2>&1 \
    | tee "/tmp/fuzz-$t.log" | grep -E "^(#[0-9]+\s+DONE|==[0-9]+==ERROR|SUMMARY|Done)" || true
  # (A finding ends the run before libFuzzer prints any "#N" progress line.)
  execs=$(grep -oE "^#[0-9]+" "/tmp/fuzz-$t.log" | tail -1 | tr -d '#' || true)
  echo "$t: ${execs:-0} executions in ${SECS}s; artifacts: $(ls artifacts/$t 2>/dev/null | wc -l)"
done
