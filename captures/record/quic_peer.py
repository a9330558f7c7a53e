#!/usr/bin/env python3
"""QUIC peers for quic.sh (aioquic): a server that echoes each stream back in upper case,
and a client that opens a connection, sends three messages on three streams and one
unreliable-looking burst, then closes. Needs `pip install aioquic`."""
import asyncio
import sys

from aioquic.asyncio import connect, serve
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import StreamDataReceived

ALPN = ["pktlab-game"]


class Echo(QuicConnectionProtocol):
    def quic_event_received(self, event):
        if isinstance(event, StreamDataReceived):
            self._quic.send_stream_data(event.stream_id, event.data.upper(), end_stream=event.end_stream)
            self.transmit()


async def server(host, port, cert, key, alpn=None):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=[alpn] if alpn else ALPN)
    cfg.load_cert_chain(cert, key)
    await serve(host, port, configuration=cfg, create_protocol=Echo)
    await asyncio.sleep(4)


async def client(host, port, alpn=None, sni="game.pktlab.test", size=0):
    cfg = QuicConfiguration(is_client=True, alpn_protocols=[alpn] if alpn else ALPN, server_name=sni)
    cfg.verify_mode = False
    messages = [b"login player07", b"chat hello", b"buy potion"]
    if size:
        # One large message: many packets each way.
        messages.append(b"map chunk " + b"x" * size)
    async with connect(host, port, configuration=cfg) as conn:
        for text in messages:
            reader, writer = await conn.create_stream()
            writer.write(text)
            writer.write_eof()
            print((await reader.read())[:40].decode(), file=sys.stderr)
        await conn.ping()


if __name__ == "__main__":
    mode, a = sys.argv[1], sys.argv[2:]
    if mode == "server":
        asyncio.run(server(a[0], int(a[1]), a[2], a[3], *a[4:5]))
    elif mode == "client":
        # client HOST PORT [ALPN SNI SIZE]
        extra = a[2:]
        asyncio.run(client(a[0], int(a[1]), *extra[:2], *[int(x) for x in extra[2:3]]))
    else:
        sys.exit("unknown mode " + mode)
