"""Whole-graph validation (`dci-kg validate`)."""

from __future__ import annotations

from rdflib import Graph

from kg import gate
from kg.shapes import class_hierarchy
from kg.store import Store


def validate_store(store: Store) -> tuple[list[gate.Violation], int]:
    """Every violation of the shapes in the union of the store's graphs, and its size."""
    data = Graph()
    data += class_hierarchy()
    data += store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    try:
        gate.check(data)
    except gate.WriteRejected as exc:
        return exc.violations, len(data)
    return [], len(data)
