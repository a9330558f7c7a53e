#!/usr/bin/env python3
"""Peers for captures/record/app-images.sh: an HTTP server on loopback that sends PNG images
(made here, chunk by chunk) in every way tshark reads them, and the client that asks for
each over one connection, then uploads two as a multipart form.

  app_images_peer.py server HOST PORT
  app_images_peer.py client HOST PORT
"""
import http.client, struct, zlib

from peers import files_handler, form_part, get_each, http_peer_main, post_form

SIG = b"\x89PNG\r\n\x1a\n"


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixels(w, h, per_pixel):
    rows = b"".join(b"\x00" + bytes((x * 7 + y * 13 + k) & 0xFF for x in range(w) for k in range(per_pixel)) for y in range(h))
    return zlib.compress(rows, 9)


def ihdr(w, h, depth, colour, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, interlace))


def full():
    # Truecolour with every chunk tshark reads, text in two kinds and one private chunk.
    return SIG + b"".join([
        ihdr(40, 30, 8, 2),
        chunk(b"gAMA", struct.pack(">I", 45455)),
        chunk(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
        chunk(b"sRGB", b"\x00"),
        chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)),
        chunk(b"tIME", struct.pack(">HBBBBB", 2026, 12, 5, 7, 30, 59)),
        chunk(b"tEXt", b"Title\x00Lobby map, level 3"),
        chunk(b"iTXt", b"Author\x00\x00\x00ko\x00\xec\x9e\x91\xea\xb0\x80\x00kim"),
        chunk(b"bKGD", struct.pack(">HHH", 0x00FF, 0x1234, 0xABCD)),
        chunk(b"prVt", b"game asset id 42"),
        chunk(b"IDAT", pixels(40, 30, 3)),
        chunk(b"IEND", b""),
    ])


def palette():
    # Indexed colour: a palette, its transparency, a background by index, two IDAT chunks.
    data = pixels(16, 16, 1)
    return SIG + b"".join([
        ihdr(16, 16, 8, 3, 1),
        chunk(b"PLTE", bytes(range(48))),
        chunk(b"tRNS", b"\x00\x80\xff"),
        chunk(b"bKGD", b"\x02"),
        chunk(b"IDAT", data[:20]),
        chunk(b"IDAT", data[20:]),
        chunk(b"IEND", b""),
    ])


def grey():
    # Greyscale with alpha: a two-byte background, compressed text, odd numbers.
    return SIG + b"".join([
        ihdr(8, 4, 16, 4),
        chunk(b"bKGD", b"\x7f\xff"),
        chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"made on loopback")),
        chunk(b"gAMA", struct.pack(">I", 5)),
        chunk(b"cHRM", struct.pack(">8I", 0, 1, 99999, 100000, 4294967295, 123456789, 7, 70)),
        chunk(b"pHYs", struct.pack(">IIB", 72, 96, 0)),
        chunk(b"sRGB", b"\x07"),
        chunk(b"IDAT", pixels(8, 4, 4)),
        chunk(b"IEND", b""),
    ])


def big():
    # A picture of some 30 KB: its body in many segments.
    import random
    rnd = random.Random(7)
    rows = b"".join(b"\x00" + bytes(rnd.randrange(256) for _ in range(160 * 3)) for _ in range(60))
    return SIG + ihdr(160, 60, 8, 2) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


IMAGES = {
    "full.png": ("image/png", full()),
    "palette.png": ("image/png", palette()),
    "grey.png": ("image/png", grey()),
    "big.png": ("image/png", big()),
    # Cut short: in a chunk's data, in a chunk's length, right after the signature.
    "cut.png": ("image/png", full()[:150]),
    "cutlen.png": ("image/png", full()[:35]),
    "sig.png": ("image/png", SIG + b"\x00\x00\x00\x0dIHDR\x00\x00\x00\x28"),
    # A chunk whose length is more than Wireshark reads.
    "huge.png": ("image/png", SIG + ihdr(1, 1, 8, 0) + b"\xff\xff\xff\xf0abcd" + b"\x00" * 16),
    # Chunks shorter than what Wireshark reads of them: an IHDR of 5 bytes, a tIME of 3, a
    # bKGD of 3 (none of the sizes it knows), a tEXt without its NUL.
    "oddihdr.png": ("image/png", SIG + chunk(b"IHDR", b"\x00\x00\x00\x10\x00") + chunk(b"IEND", b"")),
    "oddtime.png": ("image/png", SIG + ihdr(2, 2, 1, 0) + chunk(b"bKGD", b"\x01\x02\x03") + chunk(b"tEXt", b"NoNulHere") + chunk(b"tIME", b"\x07\xea\x0c") + chunk(b"IEND", b"")),
    # Not a PNG, though it says so; one too short to be one.
    "notpng.png": ("image/png", b"this is no PNG at all, only text"),
    "short.png": ("image/png", SIG + b"\x00\x00\x00\x00"),
    # A PNG under other types: bytes, one nobody reads, none at all; gzip-encoded.
    "asset.bin": ("application/octet-stream", palette()),
    "asset.game": ("application/x-lobby-asset", palette()),
    "asset.none": (None, grey()),
    "asset.gz": ("image/png", full()),
}


def client(host, port):
    conn = http.client.HTTPConnection(host, port)
    get_each(conn, IMAGES)
    # An upload: a PNG part by its type, one of a type nobody reads, one that is no PNG.
    b = b"----lobbyImages"
    post_form(conn, "/upload", b, [
        form_part(b, "avatar", "image/png", palette(), "me.png"),
        form_part(b, "skin", "application/x-lobby-asset", grey(), "skin.bin"),
        form_part(b, "bad", "image/png", b"not a png", "bad.png"),
    ])
    # A match report beside the pictures: a log as text, its summary as JSON, one cut JSON.
    report = [
        form_part(b, "log", "text/plain", b"round 1 won\r\nround 2 lost\nround 3 won", "match.log"),
        form_part(b, "summary", "application/json", b"{\"map\": \"lobby3\", \"rounds\": [1, 0, 1], \"mvp\": {\"name\": \"kim\", \"score\": 42.5}}"),
        form_part(b, "cut", "application/json", b"{\"half\": [1, 2"),
    ]
    post_form(conn, "/report", b, report)
    # The same upload with the boundary left out of its Content-Type: not split at all.
    post_form(conn, "/report", b, report, with_boundary=False)
    conn.close()


http_peer_main(files_handler(IMAGES), client)
