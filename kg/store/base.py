"""The store contract: a tabular query, a graph query, an ASK, a transactional write of quads, a bulk
load, and a generation that changes with every write. Both backends (embedded, remote) honour it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Identifier

from vocab.terms import Quad

Row = dict[str, Identifier | None]


class StoreError(Exception):
    """A store could not be opened or a query could not be run; the message says why."""


class QueryError(StoreError):
    """A query is malformed or asks for something the store refuses."""


class WriteConflict(StoreError):
    """A conditional write found its condition broken by another writer: nothing was written."""

    @classmethod
    def about(cls, broken: Sequence[Expect]) -> WriteConflict:
        names = sorted({e.subject.value for e in broken})
        more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
        return cls(f"{names[0]}{more} changed while this write was prepared: nothing was written; re-read it")


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (503)."""


class ResultTooLarge(Exception):
    """The serialised answer is over the byte cap (413)."""


Graphs = Sequence[URIRef] | None


@dataclass(frozen=True)
class Expect:
    """A write's condition, checked where the write happens (inside its transaction or update request):
    `subject` has `predicate` with exactly `value` in some graph, or, with `value=None`, has no such
    predicate at all (the node does not exist yet). A broken condition raises WriteConflict."""

    subject: ox.NamedNode
    predicate: ox.NamedNode
    value: ox.NamedNode | ox.Literal | None


OxGraph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@dataclass(frozen=True)
class Change:
    """What one or more writes touched: the subjects, the predicates and the graphs of their quads (IRIs)."""

    subjects: frozenset[str]
    predicates: frozenset[str]
    graphs: frozenset[str] = frozenset()

    @classmethod
    def of(cls, quads: Iterable) -> Change:
        """Of pyoxigraph quads: named subjects and graphs only (a blank node is never a reader's key)."""
        subjects, predicates, graphs = set(), set(), set()
        for q in quads:
            predicates.add(q.predicate.value)
            if isinstance(q.subject, ox.NamedNode):
                subjects.add(q.subject.value)
            if isinstance(q.graph_name, ox.NamedNode):
                graphs.add(q.graph_name.value)
        return cls(frozenset(subjects), frozenset(predicates), frozenset(graphs))


class Store(Protocol):
    """What every backend honours, so that no caller asks which one it has.

    Reads take `graphs`: the named graphs the query's default graph is the union of (None = all). Queries
    come bound (kg.queries). Two vocabularies of terms: rdflib's (select, construct, apply, quads: the
    toolkit around the store) and pyoxigraph's (triples, quads_about, write…: copies and derivations that
    never leave pyoxigraph, where building rdflib terms cost ~10x the queries)."""

    path: Path | None
    kind: str  # "embedded" or "remote": what /health reports and how /sparql runs a caller's query

    @property
    def generation(self) -> int:
        """A number that changes with every write: caches built from the store compare it."""
        ...

    def changes(self, since: int, now: int) -> Change | None:
        """What the writes between two generations touched, where the backend keeps a log of them (else None:
        unknown, which a cache takes as "everything")."""
        ...

    def select(self, query: str, graphs: Graphs = None) -> list[Row]: ...
    def ask(self, query: str, graphs: Graphs = None) -> bool: ...
    def construct(self, query: str, graphs: Graphs = None) -> Graph: ...
    def apply(self, add: Iterable[Quad], remove: Iterable[Quad] = (), expect: Sequence[Expect] = ()) -> None: ...
    def bulk_add(self, quads: Iterable[Quad]) -> None: ...
    def drop_graph(self, graph: URIRef) -> None: ...
    def quads(self, graph: URIRef | None = None) -> list[Quad]: ...
    def count(self, graph: URIRef | None = None) -> int: ...
    def graph_names(self) -> list[URIRef]: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...

    # -- in pyoxigraph terms ------------------------------------------------------------------------
    def triples(self, query: str, graphs: Graphs = None) -> list[ox.Triple]:
        """A CONSTRUCT's triples."""
        ...

    def quads_about(self, node: ox.NamedNode, predicate: ox.NamedNode | None = None) -> list[ox.Quad]:
        """The quads with `node` as subject (with `predicate`, if given) or, without a predicate, as object."""
        ...

    def subject_quads(self, nodes: Sequence[ox.NamedNode]) -> list[ox.Quad]:
        """The quads whose subject is one of `nodes` (in any graph)."""
        ...

    def quads_with(self, predicate: ox.NamedNode) -> list[ox.Quad]: ...
    def graph_quads(self, graph: OxGraph) -> list[ox.Quad]: ...
    def all_graphs(self) -> list[OxGraph]:
        """Every graph that holds quads (the default graph included where the backend has one)."""
        ...

    def present(self, quads: list[ox.Quad]) -> set[ox.Quad]:
        """Those of `quads` the store holds."""
        ...

    def write(self, add: list[ox.Quad], remove: list[ox.Quad], expect: Sequence[Expect] = ()) -> None:
        """apply() in pyoxigraph terms: remove then add, in one transaction, if every `expect` holds there
        (else WriteConflict and nothing written)."""
        ...

    def broken(self, expect: Sequence[Expect]) -> list[Expect]:
        """Those of `expect` that do not hold now (a read: for telling a lost race from bad data)."""
        ...

    def bulk_write(self, quads: list[ox.Quad]) -> None: ...
    def dump(self, fmt: ox.RdfFormat, from_graph: OxGraph | None = None) -> bytes: ...


def dataset_quads(ds: Dataset) -> list[Quad]:
    """Quads of an rdflib Dataset, the default graph mapped to None."""
    out: list[Quad] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if isinstance(g, Graph) else g
        if gid is not None and str(gid) == "urn:x-rdflib:default":
            gid = None
        out.append((s, p, o, gid))
    return out


def holds(e: Expect, values: set) -> bool:
    """Whether `e` holds given the values its subject has for its predicate."""
    return not values if e.value is None else e.value in values
