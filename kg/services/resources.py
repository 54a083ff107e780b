"""Resource pages: what the store says about one project IRI, with a label for every IRI shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from kg import queries
from kg.store import Store
from vocab.namespaces import PREFIXES


@dataclass
class Description:
    iri: URIRef
    graph: Graph
    labels: dict[str, str]


def describe(store: Store, iri: URIRef, graphs: Sequence[URIRef]) -> Description | None:
    q = queries.load("describe")
    g = store.construct(q.inline(resource=iri), graphs=graphs)
    if len(g) == 0:
        return None
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    iris = sorted({t for triple in g for t in triple if isinstance(t, URIRef)})
    return Description(iri, g, labels(store, iris, graphs))


def labels(store: Store, iris: list[URIRef], graphs: Sequence[URIRef], lang: str = "fr") -> dict[str, str]:
    """A label per IRI, in `lang` when there is one; IRIs without a label are left out."""
    found: dict[str, tuple[int, str]] = {}
    q = queries.load("labels")
    for start in range(0, len(iris), 500):
        query = q.inline(iri=list(iris[start : start + 500]))
        for row in store.select(query, graphs=graphs):
            label = row["label"]
            rank = 0 if isinstance(label, Literal) and label.language == lang else 1
            key = str(row["iri"])
            if key not in found or rank < found[key][0]:
                found[key] = (rank, str(label))
    return {k: v for k, (_r, v) in found.items()}
