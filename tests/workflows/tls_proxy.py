"""A TLS-terminating TCP proxy in front of the Temporal dev server, which speaks only plain text.

It stands in for a production frontend: it presents a certificate for `localhost`
signed by a test CA, negotiates HTTP/2 (gRPC) by ALPN, optionally requires a client
certificate (mTLS), and relays the decrypted bytes to the dev server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import Future


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Either side hanging up (or failing its handshake) ends the relay, as a proxy's would.
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


class TlsProxy:
    """Serves on a free loopback port in a thread of its own until closed."""

    def __init__(self, upstream: str, context: ssl.SSLContext) -> None:
        host, _, port = upstream.rpartition(":")
        self._upstream = (host, int(port))
        self._context = context
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    async def _relay(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            _pipe(client_reader, server_writer), _pipe(server_reader, client_writer)
        )

    async def _start(self) -> asyncio.Server:
        server = await asyncio.start_server(self._relay, "127.0.0.1", 0, ssl=self._context)
        self.port = server.sockets[0].getsockname()[1]
        return server

    @contextlib.contextmanager
    def running(self) -> Iterator[TlsProxy]:
        self._thread.start()
        started: Future[asyncio.Server] = asyncio.run_coroutine_threadsafe(
            self._start(), self._loop
        )
        server = started.result(timeout=10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self._stop(server), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    async def _stop(self, server: asyncio.Server) -> None:
        server.close()
        relays = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in relays:
            task.cancel()
        await asyncio.gather(*relays, return_exceptions=True)


def server_context(certificate: object, *, client_ca: object | None) -> ssl.SSLContext:
    """A server context presenting `certificate` (a trustme LeafCert); mTLS when `client_ca`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)  # type: ignore[attr-defined]
    context.set_alpn_protocols(["h2"])
    if client_ca is not None:
        client_ca.configure_trust(context)  # type: ignore[attr-defined]
        context.verify_mode = ssl.CERT_REQUIRED
    return context
