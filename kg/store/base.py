"""The store contract: a tabular query, a graph query, an ASK, a transactional write of quads, a bulk
load, and a generation that changes with every write. Both backends (embedded, remote) honour it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Identifier

from vocab.terms import Quad

Row = dict[str, Identifier | None]


class StoreError(Exception):
    """A store could not be opened or a query could not be run; the message says why."""


class QueryError(StoreError):
    """A query is malformed or asks for something the store refuses."""


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (503)."""


class ResultTooLarge(Exception):
    """The serialised answer is over the byte cap (413)."""


Graphs = Sequence[URIRef] | None


class Store(Protocol):
    """Reads take `graphs`: the named graphs the query's default graph is the union of (None = all)."""

    @property
    def generation(self) -> int:
        """A number that changes with every write: caches built from the store compare it."""
        ...

    def select(self, query: str, graphs: Graphs = None) -> list[Row]: ...
    def ask(self, query: str, graphs: Graphs = None) -> bool: ...
    def construct(self, query: str, graphs: Graphs = None) -> Graph: ...
    def apply(self, add: Iterable[Quad], remove: Iterable[Quad] = ()) -> None: ...
    def bulk_add(self, quads: Iterable[Quad]) -> None: ...
    def drop_graph(self, graph: URIRef) -> None: ...
    def quads(self, graph: URIRef | None = None) -> list[Quad]: ...
    def count(self, graph: URIRef | None = None) -> int: ...
    def graph_names(self) -> list[URIRef]: ...
    def close(self) -> None: ...


def dataset_quads(ds: Dataset) -> list[Quad]:
    """Quads of an rdflib Dataset, the default graph mapped to None."""
    out: list[Quad] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if isinstance(g, Graph) else g
        if gid is not None and str(gid) == "urn:x-rdflib:default":
            gid = None
        out.append((s, p, o, gid))
    return out
