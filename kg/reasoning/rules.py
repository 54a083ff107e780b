"""Materialised inferences: SPARQL rules (.rq) derive what plain SPARQL users need (types through
subclasses, inverse and super-properties, broader concepts) into the inferred graphs, in full or for the
nodes a write touched."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import queries
from kg.store import EmbeddedStore, Store
from vocab.namespaces import (
    AGREEMENTS_PUBLIC_GRAPH,
    HISTORY_GRAPH,
    INFERRED_GRAPH,
    INFERRED_GRAPHS,
    INFERRED_RESTRICTED_GRAPH,
    RESTRICTED_GRAPHS,
)

PUBLIC_REGISTER_GRAPHS = (AGREEMENTS_PUBLIC_GRAPH, HISTORY_GRAPH)
RULES = ("infer-types", "infer-inverses", "infer-subproperties", "infer-broader")


def _infer(store: Store, graphs: list[URIRef]) -> set:
    """The triples the rules derive from `graphs`, in pyoxigraph terms (building rdflib graphs of them cost
    ~10x the queries)."""
    inferred: set = set()
    if not graphs:
        return inferred
    for name in RULES:
        inferred.update(store.triples(queries.load(name).text, graphs=graphs))
    return inferred


def materialise(store: Store) -> int:
    """Recompute the inferred graphs from the asserted graphs; returns their size.

    What follows from the public graphs alone goes to graph/inferred; what needs a restricted graph
    (an instrument of graph/agreements-restricted is also a dci:Instrument…) goes to
    graph/inferred-restricted, which only cleared roles may read. Only the difference with the inferred
    graphs in the store is written: rewriting them whole after every import cost more than computing them."""
    asserted = [g for g in store.graph_names() if g not in INFERRED_GRAPHS]
    public = _infer(store, [g for g in asserted if g not in RESTRICTED_GRAPHS])
    restricted = _restricted_inferences(store, asserted) - public
    pub, res = ox.NamedNode(str(INFERRED_GRAPH)), ox.NamedNode(str(INFERRED_RESTRICTED_GRAPH))
    old = set(store.graph_quads(pub)) | set(store.graph_quads(res))
    new = {ox.Quad(t.subject, t.predicate, t.object, pub) for t in public}
    new |= {ox.Quad(t.subject, t.predicate, t.object, res) for t in restricted}
    if new != old:
        store.write(list(new - old), list(old - new))
    return len(public) + len(restricted)


def _restricted_inferences(store: Store, asserted: list[URIRef]) -> set:
    """What the rules derive with a restricted graph among their inputs.

    Every rule joins a data triple with schema triples (subclass, subproperty, inverse, broader), and the
    public register graphs hold data only: so the restricted graphs plus every other graph derive the same,
    without reading the public register again (at 100,000 instruments, most of the data). Those graphs
    are then no longer there to say a derived triple is asserted already: that is checked triple by triple."""
    register = [g for g in PUBLIC_REGISTER_GRAPHS if g in asserted]
    if not register:
        return _infer(store, asserted)
    derived = _infer(store, [g for g in asserted if g not in register])
    names = [ox.NamedNode(str(g)) for g in register]
    held = store.present([ox.Quad(t.subject, t.predicate, t.object, g) for t in derived for g in names])
    return {t for t in derived if not any(ox.Quad(t.subject, t.predicate, t.object, g) in held for g in names)}


SCHEMA = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf)  # what the rules join instance triples with
NOT_INSTANCES = (OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept)


def refresh(store: Store, nodes: list[URIRef]) -> None:
    """Bring the inferred graphs up to date after a write about `nodes` only (an instrument, its new status
    change), without deriving the whole store again (30 s at 100,000 instruments).

    Every inference about an instance comes from a triple that has the instance as its subject or object,
    joined with schema triples. So the rules run on a copy of just those triples (graph by graph) plus the
    schema, and the inferences whose subject or object is one of `nodes` are replaced with what they
    yield. Nodes that are classes, properties or concepts (whose inferences reach further) get the whole
    materialise(). The rules run on an in-memory scratch store, whichever backend holds the data."""
    if not nodes or _any_not_instance(store, nodes):
        materialise(store)
        return
    wanted = [ox.NamedNode(str(n)) for n in nodes]
    inferred = [ox.NamedNode(str(g)) for g in INFERRED_GRAPHS]
    copy = EmbeddedStore(None)
    quads = [q for n in wanted for q in store.quads_about(n) if q.graph_name not in inferred]
    quads += [q for p in SCHEMA for q in store.quads_with(ox.NamedNode(str(p))) if q.graph_name not in inferred]
    copy.bulk_write(quads)
    asserted = copy.graph_names()
    public = _infer(copy, [g for g in asserted if g not in RESTRICTED_GRAPHS])
    restricted = _infer(copy, asserted) - public
    pub, res = (ox.NamedNode(str(g)) for g in (INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH))
    mine = set(wanted)

    def about(t: ox.Triple | ox.Quad) -> bool:
        return t.subject in mine or t.object in mine

    new = {ox.Quad(t.subject, t.predicate, t.object, pub) for t in public if about(t)}
    new |= {ox.Quad(t.subject, t.predicate, t.object, res) for t in restricted if about(t)}
    old = {q for n in wanted for q in store.quads_about(n) if q.graph_name in (pub, res)}
    if new != old:
        store.write(list(new - old), list(old - new))


def _any_not_instance(store: Store, nodes: list[URIRef]) -> bool:
    types = ox.NamedNode(str(RDF.type))
    kinds = {ox.NamedNode(str(k)) for k in NOT_INSTANCES}
    return any(q.object in kinds for n in nodes for q in store.quads_about(ox.NamedNode(str(n)), types))
