"""The confined worker processes that check and run callers' queries, each call killed at its deadline."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing as mp
import os
import sys
import time
import types
from collections import OrderedDict
from collections.abc import Sequence
from multiprocessing.connection import Connection

import pyoxigraph as ox
from rdflib import URIRef

from kg.sparql import worker as sparql_worker
from kg.sparql.errors import QueryRefused, QueryTimeout, ResultTooLarge, WorkerLost, WorkersUnavailable
from kg.sparql.protocol import Answer, Checked, Format
from kg.sparql.syntax import QuerySyntaxError
from kg.store import EmbeddedStore


# -- the worker pool ----------------------------------------------------------------------------------
class _Worker:
    def __init__(self, ctx, memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=sparql_worker.main, args=(child, memory_mb), daemon=True)
        with _bare_main():
            self.process.start()
        child.close()
        self.generation: int | None = None
        self.walls: list[str] | None = None  # set by the worker's first message

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


@contextlib.contextmanager
def _bare_main():
    """Spawn re-imports the parent's __main__ in the child (`dci-kg`, `python -m cli.main`: the command line,
    FastAPI, the competence index's modules, about 1.5 s of CPU per worker, on the cores the start needs).
    The worker needs only kg.sparql.worker: while it is started, __main__ is an empty module, so the child
    imports nothing of the parent's."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class WorkerPool:
    """Confined worker processes that check and run queries, each call killed at its deadline.

    A worker opens an on-disk store read-only (reopened when the store's generation changes); for an
    in-memory store it loads a snapshot of it (N-Quads), sent again after each write. A call is a coroutine
    that waits for the worker's pipe on the event loop: a thread per waiting query (the threadpool) cost
    /sparql about a third of its throughput under 16 connections (python -m bench).
    """

    def __init__(self, store: EmbeddedStore | None, workers: int = 2, memory_mb: int = 2048) -> None:
        self.store = store
        self.memory_mb = memory_mb
        self._ctx = mp.get_context("spawn")
        self._idle: collections.deque[_Worker] = collections.deque(self._new() for _ in range(workers))
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._snapshot: tuple[int, bytes] | None = None
        self.killed = 0  # workers stopped at the time limit
        self.lost = 0  # workers that died running a query (over their memory cap, or a crash)
        self.walls: list[str] = []

    def _new(self) -> _Worker:
        return _Worker(self._ctx, self.memory_mb)

    async def ready(self, timeout: float = 60.0) -> list[str]:
        """Wait until every idle worker says it is confined; the walls they put up."""
        for worker in list(self._idle):
            await self._greet(worker, timeout)
        return self.walls

    async def _greet(self, worker: _Worker, timeout: float) -> None:
        if worker.walls is not None:
            return
        if not await _readable(worker.conn, timeout):
            raise WorkersUnavailable("a query worker did not start in time")
        try:
            status, detail = worker.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkersUnavailable(f"a query worker died while starting: {exc}") from exc
        if status != "ready":
            raise WorkersUnavailable(detail)
        worker.walls = self.walls = detail

    def _source(self, worker: _Worker) -> tuple | None:
        assert self.store is not None
        gen = self.store.generation
        if worker.generation == gen:
            return None
        if self.store.path is not None:
            self.store.flush()
            return ("path", str(self.store.path))
        if self._snapshot is None or self._snapshot[0] != gen:
            self._snapshot = (gen, self.store.dump(ox.RdfFormat.N_QUADS))
        return ("nquads", self._snapshot[1])

    async def _acquire(self, timeout: float) -> _Worker:
        if self._idle:
            return self._idle.popleft()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy for {timeout:g} s") from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a worker just as we were cancelled
                self._release(waiter.result())
            raise

    def _release(self, worker: _Worker) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        return self._new()

    async def call(self, message: dict, deadline: float) -> tuple:
        """Send `message` to a worker and wait for its reply until `deadline` (time.monotonic())."""
        worker = await self._acquire(max(0.0, deadline - time.monotonic()))
        try:
            await self._greet(worker, max(0.1, deadline - time.monotonic()))
            gen = None
            if message["op"] == "run":
                gen = self.store.generation if self.store is not None else None
                message = {**message, "source": self._source(worker) if self.store is not None else None}
            worker.conn.send(message)
            if not await _readable(worker.conn, max(0.0, deadline - time.monotonic())):
                worker = self._replace(worker)
                self.killed += 1
                raise QueryTimeout("the query ran past the time limit and was stopped")
            reply = worker.conn.recv()
            if gen is not None:
                worker.generation = gen
            if reply[0] == "memory":
                raise EOFError("out of memory")
        except (EOFError, OSError):
            worker = self._replace(worker)
            self.lost += 1
            raise WorkerLost(
                f"the query stopped its worker: it needed more than the {self.memory_mb} MB a query worker may "
                "use (DCIKG_SPARQL_WORKER_MEMORY_MB), or the engine could not run it"
            ) from None
        except asyncio.CancelledError:  # the caller went away: the worker's answer would reach the next one
            worker = self._replace(worker)
            raise
        finally:
            self._release(worker)
        return reply

    def close(self) -> None:
        while self._idle:
            self._idle.popleft().stop()


def refusal(message: str, reason: str | None = None, line: int | None = None, column: int | None = None):
    """The refusal a worker's check sent back: a syntax error keeps its position."""
    if reason is not None and line is not None and column is not None:
        return QuerySyntaxError(reason, line, column)
    return QueryRefused(message)


class QueryChecker:
    """Checks queries in the pool's workers; a verdict is kept by query text (a pure function of it)."""

    def __init__(self, pool: WorkerPool, size: int = 1024) -> None:
        self.pool = pool
        self._known: OrderedDict[tuple[str, int, int], Checked | tuple] = OrderedDict()
        self.size = size

    async def check(self, query: str, max_length: int, max_rows: int, deadline: float) -> Checked:
        if len(query) > max_length:
            raise QueryRefused(f"the query is longer than {max_length} characters")
        key = (query, max_length, max_rows)
        verdict = self._known.get(key)
        if verdict is None:
            msg = {"op": "check", "query": query, "max_length": max_length, "max_rows": max_rows}
            reply = await self.pool.call(msg, deadline)
            verdict = Checked(reply[1], reply[2]) if reply[0] == "ok" else reply[1:]
            self._known[key] = verdict
            if len(self._known) > self.size:
                self._known.popitem(last=False)
        self._known.move_to_end(key)
        if isinstance(verdict, tuple):
            raise refusal(*verdict)
        return verdict


class CheckingRunner:
    """What every /sparql runner shares: a pool of confined workers, and the check of a caller's query in it."""

    def __init__(self, workers_store: EmbeddedStore | None, workers: int, memory_mb: int) -> None:
        self.pool = WorkerPool(workers_store, workers, memory_mb)
        self.checker = QueryChecker(self.pool)

    async def ready(self) -> list[str]:
        return await self.pool.ready()

    async def check(self, query: str, max_length: int, max_rows: int, deadline: float) -> Checked:
        return await self.checker.check(query, max_length, max_rows, deadline)

    def close(self) -> None:
        self.pool.close()


class EmbeddedRunner(CheckingRunner):
    """/sparql on the embedded store: checked and run in the pool's confined workers."""

    def __init__(self, store: EmbeddedStore, workers: int = 2, memory_mb: int = 2048) -> None:
        super().__init__(store, workers, memory_mb)
        self.store = store

    async def run(
        self, q: Checked, fmt: Format, graphs: Sequence[URIRef], deadline: float, max_rows: int, max_bytes: int
    ) -> Answer:
        message = {"op": "run", "query": q.text, "format": fmt.name, "graphs": [str(g) for g in graphs],
                   "max_rows": max_rows, "max_bytes": max_bytes}  # fmt: skip
        return _answer(fmt, await self.pool.call(message, deadline))


def _answer(fmt: Format, reply: tuple) -> Answer:
    status, *payload = reply
    if status == "error":
        raise QueryRefused(payload[0])
    if status == "too_large":
        raise ResultTooLarge(
            f"the answer is over {payload[0]} bytes (DCIKG_MAX_RESULT_BYTES): narrow the query or add a LIMIT"
        )
    body, truncated = payload
    return Answer(fmt.media_type, body, truncated)


async def _readable(conn: Connection, timeout: float) -> bool:
    """Wait on the event loop until `conn` has something to read; False after `timeout` seconds."""
    if conn.poll():
        return True
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        async with asyncio.timeout(timeout):  # no task per wait, unlike wait_for in Python 3.11
            await ready
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop made it non-blocking; Connection.recv/send expect a blocking pipe
