"""The embedded backend: a pyoxigraph Store, on disk or in memory."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.queries import updates
from kg.store.base import Change, Expect, Graphs, OxGraph, QueryError, Row, StoreError, WriteConflict, holds
from vocab.namespaces import META_GRAPH
from vocab.terms import Quad, from_ox, quad_from_ox, quads_to_ox, to_ox


class EmbeddedStore:
    kind = "embedded"
    """pyoxigraph Store. `path=None` keeps it in memory (tests); `read_only` opens beside a writer."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._generation = 0
        # one process owns an on-disk store (RocksDB's lock): a conditional write checked and committed
        # under this lock is atomic against every other writer
        self._lock = threading.RLock()
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the store at {path} is open for writing by another process (is `dci-kg serve` "
                    "running?): stop it, or send the write through the API"
                ) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @property
    def generation(self) -> int:
        return self._generation

    def changes(self, since: int, now: int) -> Change | None:
        return None  # one process writes it: its caches follow its writes (kg.services.commits.on_commit)

    def _written(self) -> None:
        self._generation += 1

    # -- reads -----------------------------------------------------------------------------------
    def _query(self, query: str, graphs: Graphs = None):
        if graphs is None:
            options: dict = {"use_default_graph_as_union": True}
        else:
            names = [ox.NamedNode(str(g)) for g in graphs]
            options = {"default_graph": names, "named_graphs": names}
        try:
            return self._store.query(query, **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(str(exc)) from exc

    def triples(self, query: str, graphs: Graphs = None) -> list[ox.Triple]:
        result = self._query(query, graphs)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def graph_quads(self, graph: OxGraph) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, graph))

    def select(self, query: str, graphs: Graphs = None) -> list[Row]:
        result = self._query(query, graphs)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: from_ox(sol[n]) for n in names} for sol in result]

    def ask(self, query: str, graphs: Graphs = None) -> bool:
        result = self._query(query, graphs)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def construct(self, query: str, graphs: Graphs = None) -> Graph:
        result = self._query(query, graphs)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in result:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def quads(self, graph: URIRef | None = None) -> list[Quad]:
        g = to_ox(graph) if graph is not None else None
        return [quad_from_ox(q) for q in self._store.quads_for_pattern(None, None, None, g)]

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, to_ox(graph)))

    def graph_names(self) -> list[URIRef]:
        names = (URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(n for n in names if n != META_GRAPH)

    def dump(self, fmt: ox.RdfFormat, from_graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None) -> bytes:
        out = io.BytesIO()
        if from_graph is None:
            self._store.dump(out, fmt)
        else:
            self._store.dump(out, fmt, from_graph=from_graph)
        return out.getvalue()

    def quads_about(self, node: ox.NamedNode, predicate: ox.NamedNode | None = None) -> list[ox.Quad]:
        out = list(self._store.quads_for_pattern(node, predicate, None, None))
        if predicate is None:
            out += [q for q in self._store.quads_for_pattern(None, None, node, None) if q.subject != node]
        return out

    def subject_quads(self, nodes: Sequence[ox.NamedNode]) -> list[ox.Quad]:
        return [q for n in nodes for q in self._store.quads_for_pattern(n, None, None, None)]

    def quads_with(self, predicate: ox.NamedNode) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, predicate, None, None))

    def present(self, quads: list[ox.Quad]) -> set[ox.Quad]:
        return {q for q in quads if q in self._store}

    def all_graphs(self) -> list[OxGraph]:
        meta = ox.NamedNode(str(META_GRAPH))
        return [ox.DefaultGraph(), *(g for g in self._store.named_graphs() if g != meta)]

    # -- writes ----------------------------------------------------------------------------------
    bulk_write_quads = 200_000  # larger batches go through _apply_large

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only (another process owns it)")

    def apply(self, add: Iterable[Quad], remove: Iterable[Quad] = (), expect: Sequence[Expect] = ()) -> None:
        """Remove then add, in one transaction: either all of it lands or none of it."""
        self.write(list(quads_to_ox(add)), list(quads_to_ox(remove)), expect)

    def write(self, add_q: list[ox.Quad], remove_q: list[ox.Quad], expect: Sequence[Expect] = ()) -> None:
        """apply() for quads already in pyoxigraph terms (the gate converts a batch once)."""
        self._writable()
        with self._lock:
            broken = self.broken(expect)
            if broken:
                raise WriteConflict.about(broken)
            self._write(add_q, remove_q)

    def broken(self, expect: Sequence[Expect]) -> list[Expect]:
        return [
            e
            for e in expect
            if not holds(e, {q.object for q in self._store.quads_for_pattern(e.subject, e.predicate, None, None)})
        ]

    def _write(self, add_q: list[ox.Quad], remove_q: list[ox.Quad]) -> None:
        if len(add_q) > self.bulk_write_quads:
            self._apply_large(add_q, remove_q)
            return
        if not remove_q:
            self._store.extend(add_q)  # extend is transactional
            self._written()
            return
        # DELETE DATA cannot name blank nodes: a graph removed whole is dropped instead (counting a
        # graph costs its size, so only when blank nodes are to be removed)
        has_bnodes = any(isinstance(t, ox.BlankNode) for q in remove_q for t in (q.subject, q.object))
        whole = _whole_graphs(self._store, remove_q) if has_bnodes else set()
        remove_q = [q for q in remove_q if q.graph_name not in whole]
        if any(isinstance(t, ox.BlankNode) for q in remove_q for t in (q.subject, q.object)):
            raise StoreError("cannot remove part of a graph's blank-node triples; replace the whole graph")
        self._store.update(updates.data_update(map(_terms, add_q), map(_terms, remove_q), map(str, whole)))
        self._written()

    def _apply_large(self, add_q: list[ox.Quad], remove_q: list[ox.Quad]) -> None:
        """A batch too large for one transaction (its cost grows faster than the batch: 4.9 s for 225k quads,
        99 s for 2.26M, where the bulk loader takes about a tenth): the removals in one transaction, then the
        additions the store lacks through the bulk loader. If that fails, what it wrote is removed and the
        removals restored, so a failed write leaves the store as it was. Only a crash of the process in the
        middle can leave part of the batch behind; imports are idempotent, and the same import run again
        completes it."""
        fresh = [q for q in dict.fromkeys(add_q) if q not in self._store]
        if remove_q:
            self._write([], remove_q)
        try:
            self._store.bulk_extend(fresh)
        except BaseException:
            for q in fresh:
                self._store.remove(q)
            self._store.extend(remove_q)
            raise
        finally:
            self._written()

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        """Fast, non-transactional load, for building a new store from validated data only."""
        self.bulk_write(quads_to_ox(quads))

    def bulk_write(self, quads: Iterable[ox.Quad]) -> None:
        self._writable()
        with self._lock:
            self._store.bulk_extend(quads)
            self._written()

    def drop_graph(self, graph: URIRef) -> None:
        self._writable()
        g = ox.NamedNode(str(graph))
        with self._lock:
            if g in set(self._store.named_graphs()):
                self._store.remove_graph(g)
                self._written()

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self.flush()


def _whole_graphs(store: ox.Store, remove: list[ox.Quad]) -> set:
    """Named graphs every quad of which is in `remove`."""
    by_graph: dict = {}
    for q in remove:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name, set()).add(q)
    return {g for g, qs in by_graph.items() if len(qs) == sum(1 for _ in store.quads_for_pattern(None, None, None, g))}


def _terms(q: ox.Quad) -> updates.TermQuad:
    g = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (str(q.subject), str(q.predicate), str(q.object), g)
