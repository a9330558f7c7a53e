"""Peers for captures/record/app.sh: an HTTP client, a WebSocket echo server and client.
Traffic goes only to the loopback address given."""
import asyncio
import json
import sys
import urllib.error
import urllib.request


def http(host, port):
    base = f"http://{host}:{port}"
    with urllib.request.urlopen(base + "/index.html") as r:
        r.read()
    try:
        urllib.request.urlopen(base + "/missing")
    except urllib.error.HTTPError as e:
        e.read()
    req = urllib.request.Request(base + "/index.html", method="HEAD")
    with urllib.request.urlopen(req) as r:
        r.read()
    body = json.dumps({"player": "kim", "score": 1234}).encode()
    req = urllib.request.Request(base + "/upload", data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req)
    except urllib.error.HTTPError as e:
        e.read()


async def ws_server(host, port):
    import websockets

    done = asyncio.Event()

    async def echo(ws):
        try:
            async for msg in ws:
                await ws.send(msg)
        finally:
            done.set()

    async with websockets.serve(echo, host, port, compression=None):
        await done.wait()
        await asyncio.sleep(0.5)


async def ws_client(host, port):
    import websockets

    async with websockets.connect(f"ws://{host}:{port}/chat", compression=None) as ws:
        await ws.send("hello")
        await ws.recv()
        await ws.send(b"\x01\x02\x03\x04")
        await ws.recv()
        pong = await ws.ping(b"t1")
        await pong
        await ws.send("x" * 70000)
        await ws.recv()
        await ws.close(code=1000, reason="bye")


if __name__ == "__main__":
    what, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if what == "http":
        http(host, port)
    elif what == "ws-server":
        asyncio.run(ws_server(host, port))
    elif what == "ws-client":
        asyncio.run(ws_client(host, port))
