"""The nodes a write can break besides the ones it touches: a removal must validate every node that
referred to what was removed (an instrument whose country, status, class or parent loses its type, its
scheme or its confidentiality), and a change to a class's place in the hierarchy re-validates its
instances. Only the nodes linked to the change are looked up, so the cost follows them, not the store.

Which triples matter is read from the shapes themselves: a shape reads a value node's rdf:type (sh:class)
and whatever its SPARQL constraints name; a removed triple with another predicate (a label, a note) can
change no verdict but its own node's."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import chain

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SH

from kg.gate.batch import focus_queries
from kg.gate.shapes import shapes_graph
from kg.store import Store
from vocab.terms import Quad

_PREFIXED = re.compile(r"(?<![\w?$<])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)")
_FULL = re.compile(r"<([^<>\s]+)>")
_A = re.compile(r"(?<![\w?$:<])a(?![\w:>])")
_INBOUND = re.compile(r"\?\w+\s+([^\s;.{}()]+)\s+\$this\b")


def _prefixes() -> dict[str, str]:
    g = shapes_graph()
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}


def _terms(text: str, prefixes: dict[str, str]) -> set[URIRef]:
    out = {URIRef(prefixes[p] + local) for p, local in _PREFIXED.findall(text) if p in prefixes}
    out |= {URIRef(iri) for iri in _FULL.findall(text)}
    if _A.search(text):
        out.add(RDF.type)
    return out


def _selects() -> list[str]:
    return [str(t) for t in shapes_graph().objects(None, SH.select)]


@cache
def read_elsewhere() -> frozenset[URIRef]:
    """The predicates a shape may read on a node other than its focus node: rdf:type and rdfs:subClassOf
    (sh:class), and every term the SPARQL constraints name (a term that is not a predicate costs nothing)."""
    prefixes = _prefixes()
    found = {RDF.type, RDFS.subClassOf}
    for text in _selects():
        found |= _terms(text, prefixes)
    return frozenset(found)


@cache
def read_inbound() -> frozenset[URIRef]:
    """The predicates a SPARQL constraint reads INTO its focus node (`?e dci:instrument $this`): removing
    such a triple changes the verdict on its object."""
    prefixes = _prefixes()
    found: set[URIRef] = set()
    for text in _selects():
        for term in _INBOUND.findall(text):
            found |= _terms(term, prefixes)
    return frozenset(found)


def affected(store: Store, add: Iterable[Quad], remove: Iterable[Quad], focus: Iterable) -> list[URIRef]:
    """The IRIs, other than `focus`, whose validity the batch can change (see the module's docstring)."""
    add, remove = list(add), list(remove)
    # removed from one graph, asserted in another: not removed (only the removed triples are looked up: an
    # import adds millions and removes a few)
    removed = {(s, p, o) for s, p, o, _g in remove}
    kept = {t for t in ((s, p, o) for s, p, o, _g in add) if t in removed} if removed else set()
    elsewhere, inbound = read_elsewhere(), read_inbound()
    losing: dict[URIRef, None] = {}
    found: dict[URIRef, None] = {}
    for s, p, o, _g in remove:
        if (s, p, o) in kept:
            continue
        if p in elsewhere and isinstance(s, URIRef):
            losing[s] = None
        if p in inbound and isinstance(o, URIRef):
            found[o] = None
    moved = (s for s, p, _o, _g in chain(add, remove) if p == RDFS.subClassOf and isinstance(s, URIRef))
    classes = list(dict.fromkeys(moved))
    for nodes, query in ((list(losing), "referrers"), (classes, "class-instances")):
        for text in focus_queries(nodes, query):
            found.update((r["x"], None) for r in store.select(text))
    seen = set(focus)
    return [n for n in found if n not in seen]
