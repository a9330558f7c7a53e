#!/usr/bin/env python3
"""Peers for app-more.sh: a lobby's HTTP API answering JSON (and forms), a DNS server on a
port DNS is not registered for, a WebSocket echo. Everything on loopback.

    app_more_peers.py http-server HOST PORT     JSON bodies by path (see LOBBY), form POSTs
    app_more_peers.py http-client HOST PORT     asks for each path, posts a form
    app_more_peers.py dns-server HOST PORT      A, AAAA, TXT, MX answers (needs dnslib)
    app_more_peers.py dns-client HOST PORT      one query of each type, and one it refuses
    app_more_peers.py ws-server HOST PORT       echo (needs websockets)
    app_more_peers.py ws-client HOST PORT       short texts, a 300-character text, binary
"""
import asyncio, http.client, http.server, json, socket, sys

from peers import QuietHTTP


def nest(open_, close, n):
    return open_ * n + "1" + close * n


# Path -> (content type, body). Nesting depths on both sides of tshark 4.0's parser limit
# (it reads 23 nested arrays and 19 nested objects, not 24 or 20).
LOBBY = {
    "/status": ("application/json", json.dumps({"players": 12, "region": "kr", "open": True, "motd": None})),
    "/match": ("application/json; charset=utf-8", json.dumps({"match": {"id": 4411, "map": "harbor", "teams": [[1, 2, 3], [4, 5, 6]], "score": [-2.5e3, 0.125], "tag": "Kim \u00e9 \"MVP\"\n"}, "empty": {}, "none": []}, indent=2)),
    "/deep-arrays-23": ("application/json", nest("[", "]", 23)),
    "/deep-arrays-24": ("application/json", nest("[", "]", 24)),
    "/deep-objects-19": ("application/json", nest('{"k":', "}", 19)),
    "/deep-objects-20": ("application/json", nest('{"k":', "}", 20)),
    "/events": ("application/x-ndjson", '{"t":1,"ev":"join"}\n{"t":2,"ev":["move",3,4]}\n'),
    "/broken": ("application/problem+json", '{"status": 01, "title": "bad"}'),
    "/trailing": ("application/json", '{"ok": true} then text\nand more'),
}


class Lobby(QuietHTTP):
    def reply(self, ctype, body):
        b = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        ctype, body = LOBBY.get(self.path, ("application/json", "{}"))
        self.reply(ctype, body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        form = self.rfile.read(n).decode()
        self.reply("application/json", json.dumps({"got": form}))


def http_server(host, port):
    srv = http.server.HTTPServer((host, int(port)), Lobby)
    srv.timeout = 8
    for _ in range(len(LOBBY) + 1):
        srv.handle_request()


def http_client(host, port):
    c = http.client.HTTPConnection(host, int(port), timeout=5)
    for path in LOBBY:
        c.request("GET", path)
        c.getresponse().read()
    c.request("POST", "/login", body="name=kim+minsu&pass=p%40ss&ticket=", headers={"Content-Type": "application/x-www-form-urlencoded"})
    c.getresponse().read()
    c.close()


def dns_server(host, port):
    from dnslib import DNSRecord, RR, QTYPE, A, AAAA, TXT, MX
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    s.settimeout(8)
    try:
        for _ in range(5):
            data, addr = s.recvfrom(4096)
            q = DNSRecord.parse(data)
            r = q.reply()
            name, t = str(q.q.qname), QTYPE[q.q.qtype]
            if t == "A":
                r.add_answer(RR(name, QTYPE.A, rdata=A("127.0.0.5"), ttl=60))
                r.add_answer(RR(name, QTYPE.A, rdata=A("127.0.0.6"), ttl=60))
            elif t == "AAAA":
                r.add_answer(RR(name, QTYPE.AAAA, rdata=AAAA("::1"), ttl=30))
            elif t == "TXT":
                r.add_answer(RR(name, QTYPE.TXT, rdata=TXT(["v=lobby1", "region=kr"]), ttl=10))
            elif t == "MX":
                r.add_answer(RR(name, QTYPE.MX, rdata=MX("mail." + name), ttl=300))
            else:
                r.header.rcode = 3
            s.sendto(r.pack(), addr)
    except socket.timeout:
        pass


def dns_client(host, port):
    from dnslib import DNSRecord
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    for name, t in [("lobby.pktlab.test", "A"), ("lobby.pktlab.test", "AAAA"), ("info.pktlab.test", "TXT"), ("pktlab.test", "MX"), ("nothing.pktlab.test", "SRV")]:
        s.sendto(DNSRecord.question(name, t).pack(), (host, int(port)))
        try:
            s.recvfrom(4096)
        except socket.timeout:
            pass


def ws_server(host, port):
    import websockets

    async def echo(ws):
        async for m in ws:
            await ws.send(m)

    async def main():
        async with websockets.serve(echo, host, int(port), compression=None):
            await asyncio.sleep(6)

    asyncio.run(main())


def ws_client(host, port):
    import websockets

    async def main():
        async with websockets.connect(f"ws://{host}:{port}/chat", compression=None) as ws:
            for i in range(3):
                await ws.send(f"tick {i} pos=({i * 3},{i * 7})")
                await ws.recv()
            await ws.send("x" * 300)
            await ws.recv()
            await ws.send(bytes(range(40)))
            await ws.recv()

    asyncio.run(main())


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    globals()[mode.replace("-", "_")](*args)
