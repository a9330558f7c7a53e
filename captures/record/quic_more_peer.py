"""QUIC peers for app-quic-more.sh (aioquic): a server echoing each stream in upper case (with
Retry on request, session tickets, DATAGRAM support), and a client that runs one of four
handshakes: plain, resumed with a session ticket, an oversized ClientHello (61 ALPN names,
so the ClientHello spans two Initial packets), an ALPN the server does not speak (the
server closes in an Initial with CRYPTO_ERROR) or QUIC version 2. Needs `pip install
aioquic`."""
import asyncio, sys, ssl
from aioquic.asyncio import connect, serve
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import StreamDataReceived

class Echo(QuicConnectionProtocol):
    def quic_event_received(self, event):
        if isinstance(event, StreamDataReceived):
            self._quic.send_stream_data(event.stream_id, event.data.upper(), end_stream=event.end_stream)
            self.transmit()

tickets = {}
async def server(host, port, cert, key, alpn, retry, secs):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=[alpn], max_datagram_frame_size=65536)
    cfg.load_cert_chain(cert, key)
    await serve(host, port, configuration=cfg, create_protocol=Echo, retry=retry,
                session_ticket_fetcher=tickets.pop, session_ticket_handler=lambda t: tickets.__setitem__(t.ticket, t))
    await asyncio.sleep(secs)

async def one(host, port, alpns, sni, ticket_store, early, versions=None):
    cfg = QuicConfiguration(is_client=True, alpn_protocols=alpns, server_name=sni, max_datagram_frame_size=1200)
    if versions:
        cfg.supported_versions = versions
    cfg.verify_mode = ssl.CERT_NONE
    if ticket_store.get("t"):
        cfg.session_ticket = ticket_store["t"]
    try:
        async with connect(host, port, configuration=cfg, session_ticket_handler=lambda t: ticket_store.__setitem__("t", t), wait_connected=not early) as conn:
            for text in [b"hello " * 50, b"move 1 2", b"bye"]:
                r, w = await conn.create_stream()
                w.write(text); w.write_eof()
                await asyncio.wait_for(r.read(), 3)
            await conn.ping()
    except Exception as e:
        print("client error", type(e).__name__, e, file=sys.stderr)

async def client(host, port, alpn, mode):
    store = {}
    if mode == "bigch":
        alpns = [f"proto-{i:03d}-with-a-long-name" for i in range(60)] + [alpn]
        await one(host, port, alpns, "big.pktlab.test", store, False)
    elif mode == "resume":
        await one(host, port, [alpn], "game.pktlab.test", store, False)
        await asyncio.sleep(0.3)
        await one(host, port, [alpn], "game.pktlab.test", store, True)
    elif mode == "v2":
        # QUIC version 2 (RFC 9369): other packet type numbers, salt and key labels.
        await one(host, port, [alpn], "game.pktlab.test", store, False, [0x6B3343CF])
    else:
        await one(host, port, [alpn], "game.pktlab.test", store, False)

if __name__ == "__main__":
    m = sys.argv[1]
    if m == "server":
        h, p, c, k, alpn, retry, secs = sys.argv[2:9]
        asyncio.run(server(h, int(p), c, k, alpn, retry == "1", float(secs)))
    else:
        h, p, alpn, mode = sys.argv[2:6]
        asyncio.run(client(h, int(p), alpn, mode))
