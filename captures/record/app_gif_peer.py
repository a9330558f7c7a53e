#!/usr/bin/env python3
"""Peers for captures/record/app-gif.sh: an HTTP server on loopback that sends GIF images
(made here: a real LZW coder, block by block) in every way tshark reads them, and the
client that asks for each over one connection, then uploads one as a multipart form.

  app_gif_peer.py server HOST PORT
  app_gif_peer.py client HOST PORT
"""
import http.client, struct

from peers import files_handler, form_part, get_each, http_peer_main, post_form


def lzw(pixels, min_size):
    """The pixels (palette indexes) coded as GIF's LZW codes, packed least significant bit
    first, in data blocks of up to 255 bytes ending with an empty one."""
    clear, end = 1 << min_size, (1 << min_size) + 1
    size, table, nxt = min_size + 1, {}, end + 1
    out, acc, nbits = bytearray(), 0, 0

    def put(code):
        nonlocal acc, nbits
        acc |= code << nbits
        nbits += size
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8

    put(clear)
    run = bytes([pixels[0]])
    for p in pixels[1:]:
        longer = run + bytes([p])
        if longer in table or len(longer) == 1:
            run = longer
            continue
        put(table[run] if len(run) > 1 else run[0])
        if nxt < 4096:
            table[longer] = nxt
            nxt += 1
            if nxt > (1 << size) and size < 12:
                size += 1
        else:
            put(clear)
            table, nxt, size = {}, end + 1, min_size + 1
        run = bytes([p])
    put(table[run] if len(run) > 1 else run[0])
    put(end)
    if nbits:
        out.append(acc & 0xFF)
    return blocks(bytes(out))


def blocks(data):
    return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255)) + b"\x00"


def screen(version, w, h, flags, background=0, aspect=0):
    return version + struct.pack("<HHBBB", w, h, flags, background, aspect)


def image(left, top, w, h, flags, pixels, min_size, table=b""):
    return b"," + struct.pack("<HHHHB", left, top, w, h, flags) + table + bytes([min_size]) + lzw(pixels, min_size)


def ext(label, *parts):
    return b"!" + bytes([label]) + b"".join(bytes([len(p)]) + p for p in parts) + b"\x00"


def colours(n):
    return bytes((i * 37 + k * 91) & 0xFF for i in range(n) for k in range(3))


def full():
    # GIF89a: a global table of 4 colours, an aspect ratio, every extension tshark names
    # (graphics control, comment, application: a looping animation, plain text), two
    # frames, the second with a table of its own and interlaced.
    px = [(x // 3 + y) % 4 for y in range(12) for x in range(16)]
    return b"".join([
        screen(b"GIF89a", 16, 12, 0xF1 | 0x08, 2, 49) + colours(4),
        ext(0xFF, b"NETSCAPE2.0", b"\x01\x00\x00"),
        ext(0xFE, b"made on loopback", b"frame 1 of 2"),
        ext(0xF9, b"\x04\x0a\x00\x00"),
        image(0, 0, 16, 12, 0x00, px, 2),
        ext(0x01, struct.pack("<HHHHBBBB", 0, 0, 16, 8, 8, 8, 1, 0), b"GG"),
        ext(0xF9, b"\x05\x14\x00\x03"),
        image(4, 2, 8, 8, 0x80 | 0x40 | 0x20 | 0x02, [(x + y) % 8 for y in range(8) for x in range(8)], 3, colours(8)),
        b";",
    ])


def old():
    # GIF87a: no global table, one image with a table of its own (87a has no ordered bit).
    return screen(b"GIF87a", 8, 8, 0x00) + image(0, 0, 8, 8, 0x81, [(x * y) % 4 for y in range(8) for x in range(8)], 2, colours(4)) + b";"


def big():
    # A picture of some 20 KB: its body in many segments.
    import random
    rnd = random.Random(11)
    w, h = 200, 120
    return screen(b"GIF89a", w, h, 0xF7) + colours(256) + image(0, 0, w, h, 0, [rnd.randrange(256) for _ in range(w * h)], 8) + b";"


ODD = full()
IMAGES = {
    "full.gif": ("image/gif", full()),
    "old.gif": ("image/gif", old()),
    "big.gif": ("image/gif", big()),
    # A stray byte between blocks, an extension nobody names, bytes after the trailer.
    "stray.gif": ("image/gif", screen(b"GIF89a", 4, 4, 0x80) + colours(2) + b"\x00\x07" + ext(0x05, b"odd") + image(0, 0, 4, 4, 0, [0, 1] * 8, 2) + b"\x42;after the end"),
    # Cut short: in a data block, in the image descriptor, in the global table.
    "cut.gif": ("image/gif", full()[:120]),
    "cutimage.gif": ("image/gif", old()[:18]),
    "cuttable.gif": ("image/gif", screen(b"GIF89a", 4, 4, 0x87) + colours(20)),
    # No trailer: the blocks end with the body.
    "notrailer.gif": ("image/gif", old()[:-1]),
    # Not a GIF though it says so (another version, text); one too short to be one.
    "gif88.gif": ("image/gif", b"GIF88a" + old()[6:]),
    "notgif.gif": ("image/gif", b"this is no GIF at all, only text"),
    "short.gif": ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    # A GIF under other types: bytes, one nobody reads, none at all; gzip-encoded.
    "asset.bin": ("application/octet-stream", old()),
    "asset.game": ("application/x-lobby-asset", old()),
    "asset.none": (None, old()),
    "asset.gz": ("image/gif", full()),
}


def client(host, port):
    conn = http.client.HTTPConnection(host, port)
    get_each(conn, IMAGES)
    # An upload: a GIF part by its type, one of a type nobody reads, one that is no GIF.
    b = b"----lobbyGifs"
    post_form(conn, "/upload", b, [
        form_part(b, "emote", "image/gif", old(), "wave.gif"),
        form_part(b, "skin", "application/x-lobby-asset", old(), "skin.bin"),
        form_part(b, "bad", "image/gif", b"not a gif", "bad.gif"),
    ])
    conn.close()


http_peer_main(files_handler(IMAGES), client)
