"""The SPARQL 1.1 Protocol service, without HTTP: checking a query, choosing a result format, running it.

A query is read-only by construction: update forms, `SERVICE` (the store would fetch the URL) and
`FROM` clauses (the dataset is fixed by the caller's rights) are refused before anything runs. On the
embedded store a query runs in a worker process that is killed when the time limit passes, so the work
really stops; on a remote store the query is forwarded with the same limits.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import multiprocessing as mp
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import URIRef

from kg import sparql_worker
from kg.store import EmbeddedStore

Form = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]


class QueryRefused(ValueError):
    """The query is malformed or asks for something the endpoint never does (400)."""


class NotAcceptable(ValueError):
    """No result format the client accepts fits the query form (406)."""


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (503)."""


# -- lexing: find keywords outside comments, strings and IRIs -----------------------------------------
_MASK = re.compile(
    r"""#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>""",
    re.DOTALL,
)


def _keyword(word: str) -> re.Pattern[str]:
    # a keyword, not part of a variable (?service), a prefixed name (ex:from, from:x) or a longer word
    return re.compile(rf"(?<![\w?$:@]){word}(?![\w:-])", re.IGNORECASE)


_UPDATE = _keyword(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)")
_SERVICE = _keyword("SERVICE")
_FROM = _keyword("FROM")
_FORM = _keyword("(SELECT|ASK|CONSTRUCT|DESCRIBE)")


def masked(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length, so positions still match)."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), query)


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: Form
    body_start: int  # where the query form starts, after the prologue (BASE / PREFIX)


@functools.lru_cache(maxsize=512)  # the same query text comes again and again (named queries, the web page)
def check(query: str, max_length: int) -> CheckedQuery:
    """Refuse what the endpoint never runs; say which form the query has."""
    if len(query) > max_length:
        raise QueryRefused(f"the query is longer than {max_length} characters")
    plain = masked(query)
    if _UPDATE.search(plain):
        raise QueryRefused("this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, …) are refused")
    if _SERVICE.search(plain):
        raise QueryRefused("SERVICE is refused: this endpoint never sends requests to other endpoints")
    if _FROM.search(plain):
        raise QueryRefused(
            "FROM / FROM NAMED are refused: the dataset is the union of the graphs you may read; "
            "use GRAPH <…> in the query, or the default-graph-uri / named-graph-uri parameters"
        )
    form = _FORM.search(plain)
    if form is None:
        raise QueryRefused("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return CheckedQuery(query, form.group(1).upper(), form.start())  # type: ignore[arg-type]


_VAR = re.compile(r"[?$](\w+)")
_AS = re.compile(r"\bAS\s+[?$](\w+)\s*$", re.IGNORECASE)


def projection(q: CheckedQuery) -> list[str] | None:
    """The variables a SELECT projects, in order (None for SELECT *)."""
    plain = masked(q.text)
    head = plain[q.body_start + len("SELECT") :]
    out: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(head):
        if ch == "(":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif ch == ")":
            depth -= 1
            if depth == 0 and (m := _AS.search(head[start + 1 : i])):
                out.append(m.group(1))
        elif depth == 0:
            if ch == "*":
                return None
            if ch == "{" or head[i : i + 5].upper() in ("WHERE", "FROM "):
                break
            if ch in "?$" and (m := _VAR.match(head, i)):
                out.append(m.group(1))
    return out


@functools.lru_cache(maxsize=512)
def capped(q: CheckedQuery, max_rows: int) -> str:
    """A SELECT wrapped so that the engine stops after `max_rows` rows (the row cap); same columns, same order."""
    if q.form != "SELECT":
        return q.text
    names = projection(q)
    cols = " ".join(f"?{n}" for n in names) if names else "*"
    return f"{q.text[: q.body_start]}SELECT {cols} WHERE {{\n{q.text[q.body_start :]}\n}} LIMIT {max_rows}"


# -- content negotiation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Format:
    media_type: str
    name: str  # the pyoxigraph format attribute (QueryResultsFormat or RdfFormat)
    aliases: tuple[str, ...] = ()


RESULT_FORMATS = (  # first = default
    Format("application/sparql-results+json", "JSON", ("application/json",)),
    Format("application/sparql-results+xml", "XML", ("application/xml", "text/xml")),
    Format("text/csv", "CSV"),
    Format("text/tab-separated-values", "TSV"),
)
GRAPH_FORMATS = (
    Format("text/turtle", "TURTLE", ("application/x-turtle",)),
    Format("application/n-triples", "N_TRIPLES", ("text/plain",)),
    Format("application/ld+json", "JSON_LD", ("application/json",)),
    Format("application/rdf+xml", "RDF_XML", ("application/xml", "text/xml")),
)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    out = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def negotiate(accept: str | None, formats: Sequence[Format]) -> Format:
    """The format the client prefers (q-values; exact type > type/* > */*; ties go to our order)."""
    ranges = parse_accept(accept)
    best: tuple[float, int, Format] | None = None
    for order, fmt in enumerate(formats):
        names = (fmt.media_type, *fmt.aliases)
        q, spec = -1.0, -1
        for rng, rq in ranges:
            if rng in names:
                s = 2
            elif rng.endswith("/*") and fmt.media_type.startswith(rng[:-1]):
                s = 1
            elif rng == "*/*":
                s = 0
            else:
                continue
            if s > spec:
                q, spec = rq, s
        if q > 0 and (best is None or q > best[0] or (q == best[0] and order < best[1])):
            best = (q, order, fmt)
    if best is None:
        offered = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(f"no acceptable format for this query; this endpoint offers {offered}")
    return best[2]


def formats_for(form: Form) -> Sequence[Format]:
    return RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS


@dataclass
class Answer:
    media_type: str
    body: bytes
    truncated: bool = False


# -- the embedded runner: a pool of worker processes ----------------------------------------------------
class _Worker:
    def __init__(self, ctx) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=sparql_worker.main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.generation: int | None = None

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


INLINE_BUDGET_S = 0.005


class EmbeddedRunner:
    """Runs queries on an embedded store in worker processes, killed at the time limit.

    A worker opens an on-disk store read-only (reopened when the store's generation changes); for an
    in-memory store it loads a snapshot of it (N-Quads), sent again after each write. `run` is a coroutine
    that waits for the worker's pipe on the event loop: a thread per waiting query (the threadpool) cost
    /sparql about a third of its throughput under 16 connections (python -m bench).

    A query that a worker answered within INLINE_BUDGET_S is then answered in this process, on the event
    loop, for as long as the store does not change: the same query on the same data is the same work, so it
    cannot run away, and a point lookup saves the round trip to a worker (pickling, pipe, a second process
    to schedule), about half its cost. Any write sends every query back to the workers once.
    """

    def __init__(self, store: EmbeddedStore, workers: int = 2, inline_budget: float = INLINE_BUDGET_S) -> None:
        self.store = store
        self._ctx = mp.get_context("spawn")
        self._idle: collections.deque[_Worker] = collections.deque(_Worker(self._ctx) for _ in range(workers))
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._snapshot: tuple[int, bytes] | None = None
        self.killed = 0  # workers stopped at the time limit
        self.inline_budget = inline_budget
        self._cheap: collections.OrderedDict[tuple, int] = collections.OrderedDict()  # query -> generation
        self._every: tuple[int, frozenset[ox.NamedNode]] | None = None
        self.inline_runs = 0

    def _source(self, worker: _Worker) -> tuple | None:
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
        return _Worker(self._ctx)

    def _inline(self, message: dict, gen: int) -> tuple:
        if self._every is None or self._every[0] != gen:
            self._every = (gen, sparql_worker.every_graph(self.store.raw))
        self.inline_runs += 1
        return sparql_worker.answer(self.store.raw, message, self._every[1])

    def _learn(self, key: tuple, gen: int, seconds: float) -> None:
        if seconds <= self.inline_budget:
            self._cheap[key] = gen
            self._cheap.move_to_end(key)
            if len(self._cheap) > 1024:
                self._cheap.popitem(last=False)

    async def run(
        self, query: str, form: Form, fmt: Format, graphs: Sequence[URIRef], timeout: float, max_rows: int
    ) -> Answer:
        gen = self.store.generation
        message = {"query": query, "format": fmt.name, "graphs": [str(g) for g in graphs], "max_rows": max_rows}
        key = (query, fmt.name, tuple(message["graphs"]), max_rows)
        if self._cheap.get(key) == gen:
            return _answer(fmt, self._inline(message, gen))
        worker = await self._acquire(timeout)
        try:
            gen = self.store.generation
            message["source"] = self._source(worker)
            started = time.perf_counter()
            worker.conn.send(message)
            if not await _readable(worker.conn, timeout):
                worker = self._replace(worker)
                self.killed += 1
                raise QueryTimeout(f"the query ran past the time limit ({timeout:g} s) and was stopped")
            reply = worker.conn.recv()
            worker.generation = gen
            if reply[0] == "ok":
                self._learn(key, gen, time.perf_counter() - started)
        except (EOFError, OSError) as exc:
            worker = self._replace(worker)
            raise RuntimeError(f"a query worker died: {exc}") from exc
        except asyncio.CancelledError:  # the caller went away: the worker's answer would reach the next one
            worker = self._replace(worker)
            raise
        finally:
            self._release(worker)
        return _answer(fmt, reply)

    def close(self) -> None:
        while self._idle:
            self._idle.popleft().stop()


def _answer(fmt: Format, reply: tuple) -> Answer:
    status, *payload = reply
    if status == "error":
        raise QueryRefused(payload[0])
    body, truncated = payload
    return Answer(fmt.media_type, body, truncated)


async def _readable(conn: Connection, timeout: float) -> bool:
    """Wait on the event loop until `conn` has something to read; False after `timeout` seconds."""
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
