"""Whole-graph validation (`dci-kg validate`).

With pyshacl (the reference engine) the union of the store's graphs is copied into an rdflib graph. With
pyshacl-turbo (`DCIKG_SHACL_ENGINE=turbo`) the store's graphs are dumped as N-Triples, graph by graph, and
the concatenated text is handed to pyshacl-turbo as its serialized input: its native parser builds the
union (a triple asserted in two graphs is one triple), with no Python object per triple and no
intermediate store. Before, the union was loaded into an in-memory pyoxigraph store, which pyshacl-turbo
dumped to N-Quads again before parsing it: at 100,000 instruments that copy and the second dump were most
of the time outside the engine (BENCHMARKS.md, "Whole-graph validation and register import at 100k").
"""

from __future__ import annotations

from rdflib import Graph

from kg.gate.batch import graph_dumps, hierarchy_ntriples, union_store
from kg.gate.engine import Violation, WriteRejected, check, serialized
from kg.gate.shapes import class_hierarchy
from kg.settings import get_settings
from kg.store import Store


def validate_store(store: Store, engine_name: str | None = None) -> tuple[list[Violation], int]:
    """Every violation of the shapes in the union of the store's graphs, and the number of triples read
    (for pyshacl-turbo, summed over the graphs: a triple asserted in two graphs counts twice)."""
    name = engine_name or get_settings().shacl_engine
    if name == "turbo":
        text, n = union_ntriples(store)
        return _violations(serialized(text), name), n
    data = Graph()
    data += class_hierarchy()
    data += store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    return _violations(data, name), len(data)


def validate_store_copy(store: Store) -> tuple[list[Violation], int]:
    """The former pyshacl-turbo path (the union copied into an in-memory pyoxigraph store): kept as the
    reference the serialized path is compared with (tests/integration/test_validate_paths.py)."""
    data = union_store(store)
    return _violations(data, "turbo"), len(data)


def union_ntriples(store: Store) -> tuple[str, int]:
    """The class hierarchy and every graph of `store` as one N-Triples text, and its line count."""
    parts = [hierarchy_ntriples(), *graph_dumps(store)]
    n = sum(p.count(b"\n") for p in parts)
    return b"".join(parts).decode("utf-8"), n


def _violations(data, name: str) -> list[Violation]:
    try:
        check(data, engine_name=name)
    except WriteRejected as exc:
        return exc.violations
    return []
