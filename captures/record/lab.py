#!/usr/bin/env python3
"""More real socket peers for the recording scripts (standard library only).

Like peers.py: each mode is one side of a conversation, run by a script inside the network
namespaces it made, while tcpdump records. Every byte on the wire comes from the kernel.
"""
import socket
import struct
import subprocess
import sys
import time


def listen(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(4)
    return s


def recv_exact(c, n):
    buf = b""
    while len(buf) < n:
        b = c.recv(n - len(buf))
        if not b:
            break
        buf += b
    return buf


def run(cmd):
    """Runs a shell command given by the script (e.g. adding an nftables rule in the other
    namespace) at the right moment of the conversation."""
    if cmd:
        subprocess.run(cmd, shell=True, check=True)


# ----- liveness -----

def hold_server(host, port):
    """Accept, answer one line, then keep the connection open doing nothing (until killed)."""
    s = listen(host, port)
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b"WELCOME\n")
    while True:
        time.sleep(3600)


def hold_client(host, port, after_cmd="", wait=0.0, talk=b""):
    """Connect, say hello, read the welcome. Then run AFTER_CMD, optionally send TALK, and wait
    for the peer to close (or for WAIT seconds)."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect((host, port))
    c.sendall(b"HELLO\n")
    c.recv(100)
    run(after_cmd)
    if talk:
        time.sleep(0.3)
        c.sendall(talk)
    c.settimeout(wait if wait else None)
    try:
        while c.recv(100):
            pass
        print("peer closed", file=sys.stderr)
    except socket.timeout:
        print("no answer after", wait, "s", file=sys.stderr)
    except OSError as e:
        print("error:", e, file=sys.stderr)
    c.close()


def keepalive_client(host, port, drop_cmd):
    """TCP keep-alive after 1 s idle, every 1 s, 3 unanswered probes: the peer answers the
    first probes; then DROP_CMD cuts the path and the kernel gives up."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
    c.connect((host, port))
    c.sendall(b"HELLO\n")
    c.recv(100)
    time.sleep(2.5)
    run(drop_cmd)
    try:
        while c.recv(100):
            pass
    except OSError as e:
        print("keep-alive gave up:", e, file=sys.stderr)
    c.close()


def hb_server(host, port, timeout):
    """Application heartbeat: every message is type:u16 len:u16 + payload; no message for
    TIMEOUT seconds means the client is gone: say so and close."""
    s = listen(host, port)
    c, _ = s.accept()
    c.settimeout(timeout)
    try:
        while True:
            head = recv_exact(c, 4)
            if len(head) < 4:
                break
            _, n = struct.unpack(">HH", head)
            recv_exact(c, n)
    except socket.timeout:
        msg = b"heartbeat timeout"
        c.sendall(struct.pack(">HH", 9, len(msg)) + msg)
    c.close()


def hb_client(host, port, beats, every):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect((host, port))
    for _ in range(beats):
        c.sendall(struct.pack(">HH", 4, 0))
        time.sleep(every)
    # the game loop hangs here: the socket stays open but nothing is sent
    while c.recv(100):
        pass
    c.close()


# ----- Nagle and delayed ACK -----

def req_server(host, port, rounds, size):
    s = listen(host, port)
    c, _ = s.accept()
    for i in range(rounds):
        if len(recv_exact(c, size)) < size:
            break
        c.sendall(struct.pack(">HHI", 2, 4, i))
    while c.recv(100):
        pass
    c.close()


def req_client(host, port, rounds, nodelay):
    """Each request is written in two send() calls (a 4-byte header, then a 20-byte body),
    then the client waits for the 8-byte reply: the write-write-read pattern."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if nodelay:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect((host, port))
    body = b"move x=+1.00 y=-2.50"
    for _ in range(rounds):
        c.sendall(struct.pack(">HH", 1, len(body)))
        c.sendall(body)
        recv_exact(c, 8)
    c.close()


# ----- UDP in depth -----

def udp_ack_server(host, port, count):
    """Answers each datagram with an 8-byte ACK carrying the game's seq (its first 4 bytes)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    for _ in range(count):
        data, peer = s.recvfrom(65535)
        s.sendto(b"ACK " + data[:4], peer)


def udp_client(host, port, closed_port, drop_cmd, undrop_cmd):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)

    def send(seq, size):
        s.sendto(struct.pack(">I", seq) + bytes((seq + i) % 256 for i in range(size - 4)), (host, port))

    def reliable(seq, size, around=("", "")):
        """The game's own reliability: resend until the ACK for SEQ comes back."""
        for attempt in range(5):
            run(around[0] if attempt == 0 else "")
            send(seq, size)
            run(around[1] if attempt == 0 else "")
            try:
                data, _ = s.recvfrom(100)
                if data[4:8] == struct.pack(">I", seq):
                    return
            except socket.timeout:
                print("no ACK for", seq, "- resending", file=sys.stderr)

    reliable(1, 1200)
    reliable(2, 3000)
    reliable(3, 3000, (drop_cmd, undrop_cmd))
    # a datagram to a port nobody listens on: ICMP port unreachable comes back
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.connect((host, closed_port))
    c.send(b"anyone there?")
    c.settimeout(0.5)
    try:
        c.recv(100)
    except ConnectionRefusedError as e:
        print("refused:", e, file=sys.stderr)
    except socket.timeout:
        print("no ICMP seen", file=sys.stderr)


# ----- load balancers -----

def http_backend(host, port, count):
    """A backend that says who it sees as the client and what X-Forwarded-For said."""
    s = listen(host, port)
    for _ in range(count):
        c, peer = s.accept()
        req = b""
        while b"\r\n\r\n" not in req:
            b = c.recv(4096)
            if not b:
                break
            req += b
        xff = b"-"
        for line in req.split(b"\r\n"):
            if line.lower().startswith(b"x-forwarded-for:"):
                xff = line.split(b":", 1)[1].strip()
        body = b"backend-1 sees peer " + peer[0].encode() + b", X-Forwarded-For " + xff + b"\n"
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        c.close()


def http_proxy(host, port, backend, bport, count):
    """An L7 reverse proxy: ends the client's TCP connection, reads the HTTP request, opens its
    own connection to the backend with X-Forwarded-For added, and pins the client to the
    backend with a cookie (a sticky session)."""
    s = listen(host, port)
    for _ in range(count):
        c, peer = s.accept()
        req = b""
        while b"\r\n\r\n" not in req:
            b = c.recv(4096)
            if not b:
                break
            req += b
        head, _, rest = req.partition(b"\r\n\r\n")
        head += b"\r\nX-Forwarded-For: " + peer[0].encode() + b"\r\n\r\n"
        b = socket.create_connection((backend, bport))
        b.sendall(head + rest)
        resp = b""
        while True:
            d = b.recv(4096)
            if not d:
                break
            resp += d
        b.close()
        rhead, _, rbody = resp.partition(b"\r\n\r\n")
        if b"cookie: lb=" not in req.lower():
            rhead += b"\r\nSet-Cookie: lb=backend-1"
        c.sendall(rhead + b"\r\n\r\n" + rbody)
        c.close()


def http_get(host, port, path, cookie=""):
    c = socket.create_connection((host, port))
    extra = "Cookie: %s\r\n" % cookie if cookie else ""
    c.sendall(("GET %s HTTP/1.1\r\nHost: game.pktlab.test\r\n%sConnection: close\r\n\r\n" % (path, extra)).encode())
    resp = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        resp += d
    c.close()
    print(resp.decode(errors="replace").splitlines()[-1], file=sys.stderr)


# ----- message versioning -----

def ver_server(host, port):
    """Messages: magic "PK", version:u8, type:u8, length:u16 big-endian, payload. Versions 1
    and 2 are understood; anything else gets an ERROR naming the versions it speaks."""
    s = listen(host, port)
    c, _ = s.accept()
    c.settimeout(1.0)
    try:
        while True:
            head = recv_exact(c, 6)
            if len(head) < 6:
                break
            magic, ver, typ, n = struct.unpack(">2sBBH", head)
            if magic != b"PK":
                reply = b"bad magic"
                c.sendall(struct.pack(">2sBBH", b"PK", 2, 0xEE, len(reply)) + reply)
                break
            if ver not in (1, 2):
                recv_exact(c, n)
                reply = b"unsupported version %d, speak 1 or 2" % ver
                c.sendall(struct.pack(">2sBBH", b"PK", 2, 0xEE, len(reply)) + reply)
                continue
            payload = recv_exact(c, n)
            if len(payload) < n:
                break
            c.sendall(struct.pack(">2sBBH", b"PK", ver, typ | 0x80, 2) + struct.pack(">H", n))
    except socket.timeout:
        reply = b"timeout: length field promised more bytes"
        c.sendall(struct.pack(">2sBBH", b"PK", 2, 0xEE, len(reply)) + reply)
    c.close()


def ver_client(host, port):
    c = socket.create_connection((host, port))

    def msg(ver, typ, payload, length_fmt=">H"):
        c.sendall(b"PK" + struct.pack(">BB", ver, typ) + struct.pack(length_fmt, len(payload)) + payload)
        time.sleep(0.05)

    # version 1 MOVE: player:u16, x:f32, y:f32 (big-endian)
    msg(1, 3, struct.pack(">Hff", 7, 1.5, -2.25))
    c.recv(100)
    # version 2 added a facing angle at the end: old fields keep their place
    msg(2, 3, struct.pack(">Hfff", 7, 1.5, -2.25, 90.0))
    c.recv(100)
    # a newer client: version 3 is refused with a clear error, the connection stays usable
    msg(3, 3, struct.pack(">Hfff", 7, 1.5, -2.25, 90.0) + b"\x01")
    c.recv(100)
    # a bug: the length written little-endian (0a 00, read big-endian as 2560)
    msg(1, 3, struct.pack("<Hff", 7, 1.5, -2.25), "<H")
    c.recv(100)
    c.close()


if __name__ == "__main__":
    mode, a = sys.argv[1], sys.argv[2:]
    modes = {
        "hold-server": lambda: hold_server(a[0], int(a[1])),
        "hold-client": lambda: hold_client(a[0], int(a[1]), a[2] if len(a) > 2 else "", float(a[3]) if len(a) > 3 else 0.0, a[4].encode() if len(a) > 4 else b""),
        "keepalive-client": lambda: keepalive_client(a[0], int(a[1]), a[2]),
        "hb-server": lambda: hb_server(a[0], int(a[1]), float(a[2])),
        "hb-client": lambda: hb_client(a[0], int(a[1]), int(a[2]), float(a[3])),
        "req-server": lambda: req_server(a[0], int(a[1]), int(a[2]), int(a[3])),
        "req-client": lambda: req_client(a[0], int(a[1]), int(a[2]), a[3] == "nodelay"),
        "udp-ack-server": lambda: udp_ack_server(a[0], int(a[1]), int(a[2])),
        "udp-client": lambda: udp_client(a[0], int(a[1]), int(a[2]), a[3], a[4]),
        "http-backend": lambda: http_backend(a[0], int(a[1]), int(a[2])),
        "http-proxy": lambda: http_proxy(a[0], int(a[1]), a[2], int(a[3]), int(a[4])),
        "http-get": lambda: http_get(a[0], int(a[1]), a[2], a[3] if len(a) > 3 else ""),
        "ver-server": lambda: ver_server(a[0], int(a[1])),
        "ver-client": lambda: ver_client(a[0], int(a[1])),
    }
    if mode not in modes:
        sys.exit("unknown mode " + mode)
    modes[mode]()
