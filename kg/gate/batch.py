"""What a batch is validated on: the class hierarchy, the focus nodes' neighbourhood (or the whole store)
and the nodes the batch points to, minus its removals, plus its additions; one builder per engine (an rdflib
graph for pyshacl, an in-memory pyoxigraph store for pyshacl-turbo)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg import queries
from kg.gate.engine import serialized
from kg.gate.shapes import class_hierarchy
from kg.store import Store
from vocab.terms import Quad, to_ox


def focus_nodes(add: Iterable[Quad], remove: Iterable[Quad]) -> list:
    """The subjects a batch touches, in first-seen order."""
    return list(dict.fromkeys(s for s, _p, _o, _g in [*add, *remove]))


def focus_queries(nodes: list, query: str) -> Iterator[str]:
    """The named query with its ?f bound to the IRIs among `nodes`, 500 at a time."""
    iris = [n for n in nodes if isinstance(n, URIRef)]
    for chunk in range(0, len(iris), 500):
        part = iris[chunk : chunk + 500]
        yield queries.load(query).inline(f=part)


def neighbourhood(store: Store, nodes: list, query: str = "neighbourhood") -> Graph:
    g = Graph()
    for text in focus_queries(nodes, query):
        g += store.construct(text)
    return g


def hierarchy_quads() -> list[ox.Quad]:
    """The class hierarchy as pyoxigraph quads of the default graph."""
    default = ox.DefaultGraph()
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), default) for s, p, o in class_hierarchy()]


def targets(add: Iterable[tuple], focus: list) -> list:
    """The nodes a batch points to (other than its own focus nodes): the store must say what they are (a
    country, a status, an agreement, a class and its register code) for the batch to be validated. `add`
    in rdflib terms, or in pyoxigraph terms (then the nodes come back as rdflib IRIs)."""
    seen = set(focus)
    found = dict.fromkeys(o for _s, _p, o, _g in add if isinstance(o, URIRef | ox.NamedNode))
    iris = (o if isinstance(o, URIRef) else URIRef(o.value) for o in found)
    return [o for o in iris if o not in seen]


def batch_input(store: Store, add: list[ox.Quad], remove: list[ox.Quad], focus: list, whole: bool):
    """What pyshacl-turbo validates a batch on: the graph of `batch_store`, as N-Triples text when the batch
    removes nothing (then the graph is a plain union, which pyshacl-turbo's parser builds from the text:
    at 100,000 imported instruments, loading the batch into an in-memory store and dumping it again for
    pyshacl-turbo cost more than the rest of the gate). A batch with removals needs a set difference: the
    in-memory store."""
    if remove:
        return batch_store(store, add, remove, focus, whole)
    parts = [hierarchy_ntriples()]
    if whole:
        parts += graph_dumps(store)
    else:
        points_to = targets(((q.subject, q.predicate, q.object, None) for q in add), focus)
        for text in [*focus_queries(focus, "neighbourhood"), *focus_queries(points_to, "node-triples")]:
            parts.append(ox.serialize(store.triples(text), format=ox.RdfFormat.N_TRIPLES))
    parts.append(ox.serialize([q.triple for q in add], format=ox.RdfFormat.N_TRIPLES))
    return serialized(b"".join(parts).decode("utf-8"))


def batch_store(store: Store, add: list[ox.Quad], remove: list[ox.Quad], focus: list, whole: bool) -> ox.Store:
    """The graph the batch is validated on (as `batch_graph`), built as an in-memory pyoxigraph store:
    pyshacl-turbo reads it without rdflib terms (at 10,000 imported instruments the rdflib graph took
    longer to build than the validation itself)."""
    default = ox.DefaultGraph()
    data = ox.Store()
    data.bulk_extend(hierarchy_quads())
    if whole:
        copy_union(store, data)
    else:
        points_to = targets(((q.subject, q.predicate, q.object, None) for q in add), focus)
        texts = [*focus_queries(focus, "neighbourhood"), *focus_queries(points_to, "node-triples")]
        for text in texts:
            found = store.triples(text)
            data.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in found)
    for q in remove:
        data.remove(ox.Quad(q.subject, q.predicate, q.object, default))
    # added after the removals: a triple removed from one graph may still be asserted in another
    data.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in add)
    return data


def batch_graph(store: Store, add: list[Quad], remove: list[Quad], focus: list, whole: bool) -> Graph:
    """The graph the batch is validated on: the class hierarchy, the focus nodes' neighbourhood (or the
    whole store) and the nodes the batch points to, minus the removed triples, plus the added ones."""
    data = Graph()
    data += class_hierarchy()
    if whole:
        data += store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    else:
        data += neighbourhood(store, focus)
        data += neighbourhood(store, targets(add, focus), "node-triples")
    for s, p, o, _g in remove:
        data.remove((s, p, o))
    for s, p, o, _g in add:
        data.add((s, p, o))
    # a triple removed from one graph may still be asserted in another
    still = {(s, p, o) for s, p, o, _g in add}
    for s, p, o, _g in remove:
        if (s, p, o) in still:
            data.add((s, p, o))
    return data


def union_store(store: Store) -> ox.Store:
    """An in-memory pyoxigraph store whose default graph is the union of `store`'s graphs plus the class
    hierarchy (what SHACL needs to follow subclasses of a target class)."""
    data = ox.Store()
    copy_union(store, data)
    data.bulk_extend(hierarchy_quads())
    return data


def hierarchy_ntriples() -> bytes:
    return class_hierarchy().serialize(format="nt", encoding="utf-8")


def graph_dumps(store: Store) -> list[bytes]:
    """Every graph of `store` as N-Triples, one dump per graph: a blank node keeps the store's label in
    every dump, so one shared by two graphs stays one node when the dumps are parsed together."""
    return [store.dump(ox.RdfFormat.N_TRIPLES, from_graph=g) for g in store.all_graphs()]


def copy_union(store: Store, data: ox.Store) -> None:
    """Add the triples of every graph of `store` to the default graph of `data`, as N-Triples dumped and
    loaded graph by graph: no Python object per quad (at 100,000 instruments the per-quad copy took 26 s).
    Loading renames blank nodes, so a graph that may hold some (its dump has "_:") is copied quad by quad:
    a blank node shared by two graphs must stay one node, under its own label."""
    default = ox.DefaultGraph()
    for g in store.all_graphs():
        text = store.dump(ox.RdfFormat.N_TRIPLES, from_graph=g)
        if b"_:" in text:
            data.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in store.graph_quads(g))
        else:
            data.load(text, format=ox.RdfFormat.N_TRIPLES)
