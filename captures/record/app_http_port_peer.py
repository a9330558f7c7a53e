#!/usr/bin/env python3
"""Peers for captures/record/app-http-port.sh: what a game server's own protocol looks like on
a port tshark hands to HTTP (8080 by default). Each case is one TCP connection on loopback;
its steps are bytes the client (c) or the server (s) sends, each after the other side read
the previous one:

  request-then-binary   a whole GET, then the server's own binary protocol (Continuation)
  unfinished-request    `GET /map` and no empty line (HTTP waits for the rest), then the
                        server's own messages (HTTP shows nothing: no request was read)
  server-first          the server greets first in its own text protocol (nothing)
  hello-then-response   the client's own `HELLO`, then a real HTTP response (HTTP)
  response-first        a whole response with no request, then more text (nothing)
  request-then-text     a whole request, then a text line each way (both Continuation)
  no-line-end           a whole request, a response, then text without a line end (HTTP
                        waits for the line)
  server-requests       the server side sends the request and the client answers; then text
                        each way (Continuation: a request was read, whoever sent it)
  icy                   a SHOUTcast `ICY 200 OK` status line (a response to HTTP)

  app_http_port_peer.py server HOST PORT
  app_http_port_peer.py client HOST PORT
"""
import socket
import sys
import time

CASES = [
    ("request-then-binary", [("c", b"GET /lobby HTTP/1.1\r\nHost: game.local\r\n\r\n"), ("s", b"MAP 4000\n" + bytes(range(7, 220, 3)))]),
    ("unfinished-request", [("c", b"GET /map\n"), ("s", b"MAP 4000\n" + bytes(range(0, 200, 7))), ("s", b"TICK 1\n")]),
    ("server-first", [("s", b"WELCOME eu-1\nplayers 3/16\n")]),
    ("hello-then-response", [("c", b"HELLO kim\n"), ("s", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")]),
    ("response-first", [("s", b"HTTP/1.1 204 No Content\r\n\r\n"), ("s", b"TICK 2\n")]),
    ("request-then-text", [("c", b"GET / HTTP/1.1\r\n\r\n"), ("c", b"PING 17\n"), ("s", b"PONG 17\n")]),
    ("no-line-end", [("c", b"GET /x HTTP/1.1\r\nHost: game.local\r\n\r\n"), ("s", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), ("c", b"CHAT hello"), ("s", b"\x00\x02ok")]),
    ("server-requests", [("s", b"GET /status HTTP/1.1\r\n\r\n"), ("c", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), ("s", b"READY\n"), ("c", b"GO\n")]),
    ("icy", [("c", b"GET /radio HTTP/1.0\r\n\r\n"), ("s", b"ICY 200 OK\r\nicy-name: lobby music\r\n\r\n")]),
]


def main():
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == "server":
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((host, port))
        srv.listen(4)
        srv.settimeout(30)
        for _, steps in CASES:
            conn, _ = srv.accept()
            with conn:
                play(conn, steps, "s")
        return
    for _, steps in CASES:
        with socket.create_connection((host, port), timeout=10) as conn:
            play(conn, steps, "c")
        time.sleep(0.05)


def play(conn, steps, me):
    """Sends this side's steps and reads the other side's, in order; closes after the last."""
    for who, data in steps:
        if who == me:
            conn.sendall(data)
        else:
            got = b""
            while len(got) < len(data):
                chunk = conn.recv(65536)
                if not chunk:
                    return
                got += chunk
        time.sleep(0.02)
    # (The client closes first; the server waits for it.)
    if me == "s":
        conn.recv(1)


if __name__ == "__main__":
    main()
