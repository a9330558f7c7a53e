#!/usr/bin/env python3
"""Real socket peers for the recording scripts (standard library only).

Each mode is one side of a conversation; the scripts run the two sides in the right
network namespaces while tcpdump records. Nothing here writes packets by hand: every
byte on the wire comes from the kernel's TCP/UDP stack.
"""
import gzip, http.server
import os
import socket
import ssl
import struct
import sys
import time


def listen(host, port, family=socket.AF_INET, rcvbuf=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((host, port))
    s.listen(1)
    return s


def read_line(c):
    buf = b""
    while not buf.endswith(b"\n"):
        b = c.recv(1)
        if not b:
            break
        buf += b
    return buf


def serve_reply(host, port, nbytes, family=socket.AF_INET):
    """Accept one client, read one request line, send NBYTES of map data, close."""
    s = listen(host, port, family)
    c, _ = s.accept()
    read_line(c)
    body = bytes((i * 7) % 251 for i in range(nbytes))
    c.sendall(b"MAP %d\n" % nbytes + body)
    # wait for the client's FIN first so the client closes the connection (active close)
    while c.recv(4096):
        pass
    c.close()
    s.close()


def fetch(host, port, family=socket.AF_INET):
    """Connect, ask for the map, read the header and body, then close."""
    c = socket.socket(family, socket.SOCK_STREAM)
    c.connect((host, port))
    c.sendall(b"GET /map\n")
    head = read_line(c)
    want = int(head.split()[1])
    got = 0
    while got < want:
        b = c.recv(65536)
        if not b:
            break
        got += len(b)
    time.sleep(0.05)
    c.close()
    print("fetched", got, "bytes", file=sys.stderr)


def sink(host, port, rcvbuf=None, pause=0.0, chunk=65536, delay=0.0):
    """Accept one client and read until EOF. With PAUSE, stop reading for that long first
    (the receive buffer fills and the window closes); with DELAY, sleep between reads."""
    s = listen(host, port, rcvbuf=rcvbuf)
    c, _ = s.accept()
    time.sleep(pause)
    total = 0
    while True:
        b = c.recv(chunk)
        if not b:
            break
        total += len(b)
        if delay:
            time.sleep(delay)
    c.close()
    s.close()
    print("sink read", total, "bytes", file=sys.stderr)


def blast(host, port, nbytes):
    """Connect and send NBYTES as fast as the connection takes them, then close."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect((host, port))
    data = bytes((i * 13) % 256 for i in range(nbytes))
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
    c.close()


def connect_closed(host, port, family=socket.AF_INET):
    """Connect to a port nobody listens on: the kernel answers the SYN with RST."""
    c = socket.socket(family, socket.SOCK_STREAM)
    try:
        c.connect((host, port))
    except ConnectionRefusedError as e:
        print("refused:", e, file=sys.stderr)
    c.close()


def frame(msg_type, payload):
    """The demo game's framing: type:u16 len:u16 big-endian, then len bytes."""
    return struct.pack(">HH", msg_type, len(payload)) + payload


def framing_server(host, port):
    """Game server side: reads client messages, replies with two messages in ONE send()
    (a server that batches its output), closes after BYE."""
    s = listen(host, port)
    c, _ = s.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    while True:
        b = c.recv(65536)
        if not b:
            break
        buf += b
        while len(buf) >= 4:
            t, n = struct.unpack(">HH", buf[:4])
            if len(buf) < 4 + n:
                break
            buf = buf[4 + n:]
            if t == 1:  # LOGIN -> LOGIN_OK + WELCOME batched in one write
                c.sendall(frame(2, b'{"ok":true}') + frame(6, b"welcome to pktlab arena"))
    c.close()
    s.close()


def framing_client(host, port):
    """Client: a small LOGIN, then a 4000-byte inventory upload in ONE send() (split by TCP
    into MSS-sized segments), then BYE."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect((host, port))
    c.sendall(frame(1, b'{"user":"player07"}'))
    replies = b""
    while len(replies) < 4 + 11 + 4 + 23:  # LOGIN_OK + WELCOME
        b = c.recv(4096)
        if not b:
            break
        replies += b
    time.sleep(0.1)
    items = b"".join(b'{"item":%d,"count":%d},' % (i, i % 9) for i in range(200))[:4000]
    c.sendall(frame(7, items))
    time.sleep(0.1)
    c.sendall(frame(5, b""))
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096):
        pass
    c.close()


def dns_server(host, port):
    """A one-record authoritative DNS server: answers A queries for any name with
    10.77.0.7 (TTL 300), echoing the question. Answers exactly one query."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    q, peer = s.recvfrom(512)
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", q[:12])
    # end of the question: labels until a zero byte, then QTYPE and QCLASS
    i = 12
    while i < len(q) and q[i] != 0:
        i += q[i] + 1
    question = q[12:i + 5]
    rd = flags & 0x0100
    hdr = struct.pack(">HHHHHH", qid, 0x8400 | rd, 1, 1, 0, 0)
    answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes([10, 77, 0, 7])
    s.sendto(hdr + question + answer, peer)
    s.close()


def dns_query(host, port, name):
    """Asks `host:port` for the A record of `name` (a standard recursive query) and waits
    for the answer."""
    qid = 0x5a17
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(q, (host, port))
    s.recvfrom(512)
    s.close()


def json_server(host, port, certfile=None, keyfile=None):
    """Reads one JSON line and answers one JSON line, in the clear or over TLS."""
    s = listen(host, port)
    c, _ = s.accept()
    if certfile:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile, keyfile)
        c = ctx.wrap_socket(c, server_side=True)
    line = b""
    while not line.endswith(b"\n"):
        b = c.recv(4096)
        if not b:
            break
        line += b
    c.sendall(b'{"ok":true,"gold":1200}\n')
    try:
        c.recv(4096)
    except OSError:
        pass
    c.close()
    s.close()


def json_client(host, port, tls=False):
    c = socket.create_connection((host, port))
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c = ctx.wrap_socket(c, server_hostname="game.local")
    c.sendall(b'{"user":"player07","password":"hunter2"}\n')
    c.recv(4096)
    c.close()


def http_peer_main(handler, client):
    """The command line of the app peers: `PEER server HOST PORT` serves `handler` on
    HOST:PORT until killed; `PEER client HOST PORT` runs `client(host, port)`."""
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == "server":
        http.server.HTTPServer((host, port), handler).serve_forever()
    else:
        client(host, port)


def files_handler(files):
    """A QuietHTTP handler serving `files` (name -> (content type or None, bytes)) at
    `/name`: with its Content-Type when it has one, gzip-encoded (Content-Encoding) when
    the name ends in `.gz`, with its Content-Length."""
    class Handler(QuietHTTP):
        def do_GET(self):
            name = self.path.strip("/")
            ctype, data = files[name]
            self.send_response(200)
            if ctype:
                self.send_header("Content-Type", ctype)
            if name.endswith(".gz"):
                self.send_header("Content-Encoding", "gzip")
                data = gzip.compress(data, mtime=0)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
    return Handler


def get_each(conn, names):
    """GETs `/name` for each of `names` on one connection (saying gzip is welcome)."""
    for name in names:
        conn.request("GET", "/" + name, headers={"Accept-Encoding": "gzip"})
        conn.getresponse().read()


def form_part(boundary, name, ctype, data, filename=None):
    """One part of a multipart/form-data body: its boundary line, Content-Disposition (with
    the file's name if any), Content-Type, a blank line, the bytes and CR LF."""
    fn = b'; filename="' + filename.encode() + b'"' if filename else b""
    return (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + name.encode() + b'"' + fn
            + b"\r\nContent-Type: " + ctype.encode() + b"\r\n\r\n" + data + b"\r\n")


def post_form(conn, path, boundary, parts, with_boundary=True):
    """POSTs `parts` (from form_part) and the closing boundary as multipart/form-data (the
    boundary left out of the Content-Type with `with_boundary` false); returns the body."""
    body = b"".join(parts) + b"--" + boundary + b"--\r\n"
    ctype = "multipart/form-data" + ("; boundary=" + boundary.decode() if with_boundary else "")
    conn.request("POST", path, body=body, headers={"Content-Type": ctype})
    conn.getresponse().read()
    return body


class QuietHTTP(http.server.BaseHTTPRequestHandler):
    """An HTTP/1.1 handler (connections kept open) that takes any POST with 204 No Content,
    its body read and dropped, and logs nothing: the base of the app peers' servers."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    fam = socket.AF_INET6 if args and ":" in args[0] else socket.AF_INET
    if mode == "serve-reply":
        serve_reply(args[0], int(args[1]), int(args[2]), fam)
    elif mode == "fetch":
        fetch(args[0], int(args[1]), fam)
    elif mode == "sink":
        sink(args[0], int(args[1]), int(args[2]) if len(args) > 2 else None,
             float(args[3]) if len(args) > 3 else 0.0, int(args[4]) if len(args) > 4 else 65536,
             float(args[5]) if len(args) > 5 else 0.0)
    elif mode == "blast":
        blast(args[0], int(args[1]), int(args[2]))
    elif mode == "connect-closed":
        connect_closed(args[0], int(args[1]), fam)
    elif mode == "framing-server":
        framing_server(args[0], int(args[1]))
    elif mode == "framing-client":
        framing_client(args[0], int(args[1]))
    elif mode == "dns-server":
        dns_server(args[0], int(args[1]))
    elif mode == "dns-query":
        dns_query(args[0], int(args[1]), args[2])
    elif mode == "json-server":
        json_server(args[0], int(args[1]), *(args[2:4] if len(args) > 2 else []))
    elif mode == "json-client":
        json_client(args[0], int(args[1]), len(args) > 2 and args[2] == "tls")
    else:
        sys.exit("unknown mode " + mode)
