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


async def server(host, port, cert, key):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=ALPN)
    cfg.load_cert_chain(cert, key)
    await serve(host, port, configuration=cfg, create_protocol=Echo)
    await asyncio.sleep(4)


async def client(host, port):
    cfg = QuicConfiguration(is_client=True, alpn_protocols=ALPN, server_name="game.pktlab.test")
    cfg.verify_mode = False
    async with connect(host, port, configuration=cfg) as conn:
        for text in (b"login player07", b"chat hello", b"buy potion"):
            reader, writer = await conn.create_stream()
            writer.write(text)
            writer.write_eof()
            print((await reader.read()).decode(), file=sys.stderr)
        await conn.ping()


if __name__ == "__main__":
    mode, a = sys.argv[1], sys.argv[2:]
    if mode == "server":
        asyncio.run(server(a[0], int(a[1]), a[2], a[3]))
    elif mode == "client":
        asyncio.run(client(a[0], int(a[1])))
    else:
        sys.exit("unknown mode " + mode)
