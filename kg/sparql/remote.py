"""/sparql over the remote backend: checked locally, run by the remote server."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import URIRef

from kg.sparql.errors import DatasetNotKept, QueryRefused, ResultTooLarge
from kg.sparql.pool import CheckingRunner
from kg.sparql.protocol import Answer, Checked, Format
from kg.store import QueryError
from kg.store.remote import RemoteStore


class RemoteRunner(CheckingRunner):
    """/sparql over a remote store: the query is checked in confined local workers (the same check as on the
    embedded store), then forwarded with the caller's dataset and the limits. The remote server runs it: its
    own federation (SERVICE) must be turned off there as well."""

    def __init__(self, store: RemoteStore, workers: int = 2, memory_mb: int = 2048) -> None:
        super().__init__(None, workers, memory_mb)
        self.store = store

    async def run(
        self, q: Checked, fmt: Format, graphs: Sequence[URIRef], deadline: float, max_rows: int, max_bytes: int
    ) -> Answer:
        timeout = max(0.1, deadline - time.monotonic())
        return await asyncio.to_thread(self.forward, q, fmt, graphs, timeout, max_rows, max_bytes)

    def forward(
        self, q: Checked, fmt: Format, graphs: Sequence[URIRef], timeout: float, max_rows: int, max_bytes: int
    ) -> Answer:
        names = [str(g) for g in graphs]
        self._refuse_if_not_kept(names)
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

    def _refuse_if_not_kept(self, names: list[str]) -> None:
        """On a server that answers from graphs outside the dataset it is given (Virtuoso 7.2: FILTER EXISTS,
        ASK and aggregates read every graph), a query whose dataset leaves out a graph that holds data is
        refused: its answer could come from that graph. Where the dataset is every graph, nothing is hidden."""
        if self.store.keeps_to_dataset():
            return
        outside = sorted(str(g) for g in self.store.graph_names() if str(g) not in names)
        if outside:
            shown = ", ".join(f"<{g}>" for g in outside[:3]) + (" …" if len(outside) > 3 else "")
            raise DatasetNotKept(
                "this SPARQL server does not keep a query to the graphs it is given (it reads every graph in "
                f"FILTER EXISTS, ASK and aggregates), and graphs outside yours hold data ({shown}): the query "
                "is refused rather than risk answering from them. It runs for a caller who may read every graph, "
                "without default-graph-uri / named-graph-uri; see the README's deployment section"
            )
