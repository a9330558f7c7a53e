#!/usr/bin/env python3
"""Peers for captures/record/app-encoded.sh: an HTTP server on loopback whose responses come
in content codings (gzip, deflate with and without its zlib header, brotli, chunked gzip, a
body that is not the coding it says, one cut short, one of a coding nobody decodes), and the
client that asks for each over one connection.

  app_encoded_peer.py server HOST PORT
  app_encoded_peer.py client HOST PORT
"""
import gzip, http.client, json, zlib

from peers import QuietHTTP, http_peer_main

import brotli

PATHS = ["json", "text", "deflate", "raw", "br", "chunked", "big", "empty", "bad", "cut", "identity", "compress",
         "protobuf", "octets", "python", "one"]


def raw_deflate(b):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()


class Handler(QuietHTTP):
    def do_GET(self):
        p = self.path.strip("/")
        ctype, chunked = "text/plain", False
        text = b"".join(b"line %d of the lobby log\n" % i for i in range(20))
        if p == "json":
            body = json.dumps({"players": [{"id": i, "name": "p%d" % i, "hp": 100 - i} for i in range(5)]}).encode()
            ctype, coding, data = "application/json", "gzip", gzip.compress(body, mtime=0)
        elif p == "text":
            coding, data = "gzip", gzip.compress(text, mtime=0)
        elif p == "deflate":
            coding, data = "deflate", zlib.compress(text)
        elif p == "raw":
            coding, data = "deflate", raw_deflate(text)
        elif p == "br":
            ctype, coding, data = "text/html", "br", brotli.compress(b"<html><body><p>brotli lobby</p></body></html>\n" * 3)
        elif p == "chunked":
            coding, data, chunked = "gzip", gzip.compress(text, mtime=0), True
        elif p == "big":
            coding, data = "gzip", gzip.compress(b"".join(b"tick %06d pos 1.5 -2.0 0.0\n" % i for i in range(4000)), mtime=0)
        elif p == "empty":
            coding, data = "gzip", gzip.compress(b"", mtime=0)
        elif p == "bad":
            coding, data = "gzip", b"not really gzip"
        elif p == "cut":
            coding, data = "gzip", gzip.compress(b"".join(b"entry %d\n" % i for i in range(3000)), mtime=0)[:400]
        elif p == "identity":
            coding, data = "identity", text
        elif p in ("protobuf", "octets", "python", "one"):
            # Bodies of media types tshark has no dissector for, and bytes.
            ctype = {"protobuf": "application/x-protobuf; proto=lobby.Join", "octets": "application/octet-stream",
                     "python": "Text/X-Python ;charset=utf-8", "one": "application/vnd.lobby"}[p]
            coding, data = None, b"\x08\x96\x01\x12\x03kim" if p != "one" else b"x"
        else:
            coding, data = "compress", b"\x1f\x9d\x90lobby"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if coding:
            self.send_header("Content-Encoding", coding)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 40):
                part = data[i:i + 40]
                self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)



def client(host, port):
    conn = http.client.HTTPConnection(host, port)
    for p in PATHS:
        conn.request("GET", "/" + p, headers={"Accept-Encoding": "gzip, deflate, br"})
        conn.getresponse().read()
    # Cookies, Basic credentials, a body the server waits for (Expect: 100-continue: the
    # interim response comes before the request is whole) and one of a type nobody reads.
    conn.request("GET", "/identity", headers={"Cookie": "session=abc123; region=kr;lang=ko ", "Authorization": "Basic a2ltOnNlY3JldA=="})
    conn.getresponse().read()
    # Multipart bodies: an upload (a replay file as bytes, a form field, a protobuf part),
    # and a multipart/mixed one with a preamble, an unknown part header and an epilogue.
    b = b"------lobbyBoundary7MA4YWxk"
    upload = b"".join([
        b"--" + b + b"\r\nContent-Disposition: form-data; name=\"replay\"; filename=\"match.rep\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes(range(40)) + b"\r\n",
        b"--" + b + b"\r\nContent-Disposition: form-data; name=\"player\"\r\n\r\nkim\r\n",
        b"--" + b + b"\r\nContent-Disposition: form-data;\r\n  name=\"state\"\r\nContent-Type: application/x-protobuf; proto=lobby.State\r\n\r\n\x08\x01\x12\x03kim\r\n",
        b"--" + b + b"--\r\n"])
    conn.request("POST", "/upload", body=upload, headers={"Content-Type": "multipart/form-data; boundary=" + b.decode()})
    conn.getresponse().read()
    mixed = b"this is the preamble\r\n--XyZ\r\nContent-Type: text/x-foo\r\nX-Custom: 1\r\n\r\nbody one\r\n--XyZ\r\n\r\nno headers\r\n--XyZ--\r\nepilogue"
    conn.request("POST", "/mixed", body=mixed, headers={"Content-Type": "multipart/mixed; boundary=\"XyZ\""})
    conn.getresponse().read()
    conn.close()
    import socket, time
    s = socket.create_connection((host, port))
    s.sendall(b"POST /score HTTP/1.1\r\nHost: %s:%d\r\nExpect: 100-continue\r\nContent-Type: application/x-protobuf\r\nContent-Length: 5\r\n\r\n" % (host.encode(), port))
    s.recv(100)
    time.sleep(0.05)
    s.sendall(b"\x08\x01\x10\x02\x18")
    s.recv(1000)
    s.close()


http_peer_main(Handler, client)
