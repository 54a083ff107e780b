"""The ontology's documentation, read from the Turtle files (ontology/*.ttl, shapes/*.ttl) with the named
doc-*.rq queries: classes, properties, SKOS schemes and SHACL shapes, labelled in French or English."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from kg import queries
from vocab.namespaces import PREFIXES
from vocab.paths import ONTOLOGY_DIR, ROOT, SHAPES_DIR

OWL = PREFIXES["owl"]
KIND = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "property",
    OWL + "DatatypeProperty": "property",
    OWL + "AnnotationProperty": "property",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": "scheme",
    "http://www.w3.org/ns/shacl#NodeShape": "shape",
}
SHAPES_NS = "https://w3id.org/dci-kg/shapes#"
PROJECT = ("https://w3id.org/dci-kg/",)


@dataclass
class Term:
    iri: str
    kinds: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    constraints: list[tuple[str, str]] = field(default_factory=list)
    concepts: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return short(self.iri).replace(":", "-").replace("/", "-")


def short(iri: str) -> str:
    if iri.startswith(SHAPES_NS):
        return "dcis:" + iri[len(SHAPES_NS) :]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl")) + sorted(SHAPES_DIR.glob("*.ttl"))


@cache
def documentation() -> dict[str, list[Term]]:
    """Project terms by kind (class, property, scheme, shape), sorted by their short name."""
    g = Graph()
    for f in files():
        g.parse(f, format="turtle")
    terms: dict[str, Term] = {}
    for row in g.query(queries.load("doc-terms").text):
        iri = str(row.term)
        if iri.startswith(PROJECT):
            terms.setdefault(iri, Term(iri)).kinds.add(KIND[str(row.kind)])
    for row in g.query(queries.load("doc-annotations").text):
        term = terms.get(str(row.term))
        if term is None:
            continue
        p, o = str(row.p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], row.o
        if isinstance(o, Literal):
            target = term.labels if p in ("label", "prefLabel") else term.definitions
            target.setdefault(o.language or "fr", str(o))
        elif isinstance(o, URIRef):
            term.links[p].append(str(o))
    for row in g.query(queries.load("doc-shape-properties").text):
        term = terms.get(str(row.shape))
        if term is not None:
            path = (
                short(str(row.path)) if isinstance(row.path, URIRef) else ("…" if isinstance(row.path, BNode) else "")
            )
            term.constraints.append((path, str(row.message) if row.message is not None else ""))
    members: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for row in g.query(queries.load("doc-concepts").text):
        labels = members[str(row.scheme)][str(row.concept)]
        if isinstance(row.label, Literal):
            labels.setdefault(row.label.language or "fr", str(row.label))
    for iri, concepts in members.items():
        if iri in terms:
            terms[iri].concepts = sorted(concepts.items(), key=lambda c: c[1].get("fr", c[0]).lower())
    out: dict[str, list[Term]] = {"class": [], "property": [], "scheme": [], "shape": []}
    for term in terms.values():
        term.constraints.sort()
        for kind in sorted(term.kinds):
            out[kind].append(term)
    for kind in out:
        out[kind].sort(key=lambda t: short(t.iri).lower())
    return out


def sources() -> list[str]:
    return [str(f.relative_to(ROOT)) for f in files()]
