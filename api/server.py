"""The uvicorn configuration `dci-kg serve` and the tests share: one place for the limits of a request head.

uvicorn's httptools protocol (the fast one, picked when httptools is installed) accepts a request line and
headers of any size, kept in memory; h11's limit (`h11_max_incomplete_event_size`) does not apply to it.
`LimitedHttpTools` refuses a head over MAX_HEAD_BYTES with 431, counting both while the head streams in
(so memory stays bounded) and header by header as parsed (so a head that came in one read is measured)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import signal

import uvicorn

MAX_HEAD_BYTES = 16 * 1024  # request line + headers; browsers and API clients send well under 8 KiB
_LINGER_SECONDS = 2.0
WORKER_PING_S = 60
_REFUSAL = b"request line and headers are larger than %d bytes" % MAX_HEAD_BYTES


class _HeadTooLarge(Exception):
    pass


def _limited_httptools() -> type[asyncio.Protocol] | None:
    try:
        from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
    except ImportError:  # httptools absent: uvicorn runs h11, bounded by h11_max_incomplete_event_size
        return None

    class LimitedHttpTools(HttpToolsProtocol):
        _parsed = 0  # bytes of the current head the parser has handed over (url, headers)
        _received = 0  # bytes received while the current head is still incomplete
        _heads_done = 0  # heads completed on this connection: tells a read that finished one apart
        _too_large = False

        def data_received(self, data: bytes) -> None:
            if self._too_large:
                return  # refused: the rest of the request is read and dropped until the connection closes
            done_before = self._heads_done
            super().data_received(data)  # a head over the limit ends in send_400_response, below
            if self._too_large or self.transport.is_closing():
                return
            if self._heads_done == done_before and self._head_pending():
                self._received += len(data)
                if self._received > MAX_HEAD_BYTES:
                    self._refuse()

        def _head_pending(self) -> bool:
            cycle = getattr(self, "cycle", None)
            return cycle is None or cycle.response_complete

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._parsed = self._received = 0

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            self._count(len(url))

        def on_header(self, name: bytes, value: bytes) -> None:
            super().on_header(name, value)
            self._count(len(name) + len(value) + 4)

        def on_headers_complete(self) -> None:
            self._heads_done += 1
            super().on_headers_complete()

        def _count(self, size: int) -> None:
            self._parsed += size
            if self._parsed > MAX_HEAD_BYTES:
                self._too_large = True
                raise _HeadTooLarge  # httptools stops parsing; uvicorn answers 400, sent as 431 below

        def send_400_response(self, msg: str) -> None:
            if self._too_large:
                self._refuse()
            else:
                super().send_400_response(msg)

        def _refuse(self) -> None:
            self._too_large = True
            head = STATUS_LINE[431] + b"content-type: text/plain; charset=utf-8\r\n"
            head += b"content-length: %d\r\nconnection: close\r\n\r\n" % len(_REFUSAL)
            self.transport.write(head + _REFUSAL)
            if not self.transport.can_write_eof():
                self.transport.close()
                return
            # closing with the client's bytes unread resets the connection, and a reset can destroy the
            # answer before the client reads it: half-close, drop what still comes, close a moment later
            self.transport.write_eof()
            asyncio.get_running_loop().call_later(_LINGER_SECONDS, self.transport.close)

    return LimitedHttpTools


LimitedHttpTools = _limited_httptools()


def uvicorn_options(*, log_level: str = "info", access_log: bool = True) -> dict:
    """uvicorn's options shared by one process and many: the HTTP parser named by an import string, so that
    every worker process of `dci-kg serve --workers N` imports the same bounded one."""
    return {
        "log_level": log_level,
        "access_log": access_log,
        "http": "api.server:LimitedHttpTools" if LimitedHttpTools is not None else "h11",
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }


def uvicorn_config(app, host: str, port: int, *, log_level: str = "info", access_log: bool = True) -> uvicorn.Config:
    """The uvicorn Config of `dci-kg serve`, with the request head bounded whichever HTTP parser runs."""
    return uvicorn.Config(app, host=host, port=port, **uvicorn_options(log_level=log_level, access_log=access_log))


def run_workers(app_factory: str, host: str, port: int, workers: int, *, access_log: bool = True) -> None:
    """`workers` uvicorn processes on one listening socket, each building its app with `app_factory` (an import
    string): the parent supervises them and stops them all on one SIGINT / SIGTERM, at any moment of their start
    (api/supervisor.py: uvicorn's own supervisor could wait out a health ping first).

    A worker that does not answer the parent's health ping in time is killed and replaced; uvicorn's 5 s is
    shorter than a spawned worker's imports on a busy 2-core machine (seen: every first worker replaced), so
    the ping gets WORKER_PING_S."""
    from api.supervisor import Supervisor

    options = uvicorn_options(access_log=access_log)
    config = uvicorn.Config(app_factory, host=host, port=port, workers=workers, factory=True,
                            timeout_worker_healthcheck=WORKER_PING_S, **options)  # fmt: skip
    supervisor = Supervisor(config, [config.bind_socket()])
    try:
        supervisor.run()
    finally:
        supervisor.close()


def die_with_parent() -> None:
    """In a worker process: SIGTERM from the kernel when the parent (uvicorn's supervisor) dies, even by SIGKILL,
    so that no worker is left serving on its own (Linux; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
