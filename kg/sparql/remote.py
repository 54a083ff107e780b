"""/sparql over the remote backend: checked locally, run by the remote server."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import URIRef

from kg.sparql.errors import QueryRefused, ResultTooLarge
from kg.sparql.pool import QueryChecker, WorkerPool
from kg.sparql.protocol import Answer, Checked, Format
from kg.store import QueryError
from kg.store.remote import RemoteStore


class RemoteRunner:
    """/sparql over a remote store: the query is checked in confined local workers (the same check as on the
    embedded store), then forwarded with the caller's dataset and the limits. The remote server runs it: its
    own SERVICE handling must be turned off there (the README says how for Oxigraph and Virtuoso)."""

    def __init__(self, store: RemoteStore, workers: int = 2, memory_mb: int = 2048) -> None:
        self.store = store
        self.pool = WorkerPool(None, workers, memory_mb)
        self.checker = QueryChecker(self.pool)

    async def ready(self) -> list[str]:
        return await self.pool.ready()

    async def check(self, query: str, max_length: int, max_rows: int, deadline: float) -> Checked:
        return await self.checker.check(query, max_length, max_rows, deadline)

    async def run(
        self, q: Checked, fmt: Format, graphs: Sequence[URIRef], deadline: float, max_rows: int, max_bytes: int
    ) -> Answer:
        timeout = max(0.1, deadline - time.monotonic())
        return await asyncio.to_thread(self.forward, q, fmt, graphs, timeout, max_rows, max_bytes)

    def forward(
        self, q: Checked, fmt: Format, graphs: Sequence[URIRef], timeout: float, max_rows: int, max_bytes: int
    ) -> Answer:
        names = [str(g) for g in graphs]
        accept = fmt.media_type if q.form in ("SELECT", "ASK") else "application/n-triples"
        try:
            body = self.store.post_query(q.text, accept, names, timeout, max_bytes)
        except QueryError as exc:
            raise QueryRefused(str(exc)) from exc
        if q.form in ("SELECT", "ASK"):
            return Answer(fmt.media_type, body)
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        triples = list(itertools.islice((q.triple for q in quads), max_rows + 1))
        out = ox.serialize(triples[:max_rows], format=getattr(ox.RdfFormat, fmt.name))
        if len(out) > max_bytes:
            raise ResultTooLarge(f"the answer is over {max_bytes} bytes (DCIKG_MAX_RESULT_BYTES): narrow the query")
        return Answer(fmt.media_type, out, len(triples) > max_rows)

    def close(self) -> None:
        self.pool.close()
