"""The embedded store: one writer per directory; readers open beside it; writes are transactional."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.store import EmbeddedStore, QueryError, StoreError
from kg.store.open import open_store

G = URIRef("https://w3id.org/dci-kg/graph/test")
S, P = URIRef("urn:s"), URIRef("urn:p")


def test_second_writer_gets_a_clear_message_and_readers_still_read(tmp_path: Path) -> None:
    owner = EmbeddedStore(tmp_path / "store")
    owner.apply([(S, P, Literal("1"), G)])
    owner.flush()
    with pytest.raises(StoreError, match="open for writing by another process"):
        open_store(tmp_path / "store", write=True)
    reader = open_store(tmp_path / "store")
    assert reader.count() == 1
    with pytest.raises(StoreError, match="read-only"):
        reader.apply([(S, P, Literal("2"), G)])


def test_apply_removes_and_adds_in_one_transaction() -> None:
    store = EmbeddedStore(None)
    store.apply([(S, P, Literal("old"), G)])
    store.apply([(S, P, Literal("new"), G)], [(S, P, Literal("old"), G)])
    assert {q[2] for q in store.quads(G)} == {Literal("new")}


def test_query_errors_are_query_errors() -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        EmbeddedStore(None).select("SELECT WHERE {")
    with pytest.raises(QueryError, match="not a SELECT"):
        EmbeddedStore(None).select("ASK { ?s ?p ?o }")


def test_typed_literals_keep_their_lexical_form() -> None:
    store = EmbeddedStore(None)
    date = Literal("2013-10-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    store.apply([(S, P, date, G)])
    (row,) = store.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert row["o"] == date and str(row["o"]) == "2013-10-02"


def test_init_twice_replaces_the_bundled_graphs(fresh_store: EmbeddedStore) -> None:
    """The ontology holds blank nodes (OWL axioms): rebuilding must replace them, not fail or duplicate."""
    from kg.services.build import init

    before = fresh_store.count()
    init(fresh_store)
    assert fresh_store.count() == before


def _big_batch(store: EmbeddedStore, n: int) -> tuple[list, list]:
    store.apply([(S, P, Literal("old"), G), (S, P, Literal("kept"), G)])
    add = [(URIRef(f"urn:s{i}"), P, Literal(i), G) for i in range(n)] + [(S, P, Literal("kept"), G)]
    return add, [(S, P, Literal("old"), G)]


def test_a_batch_larger_than_a_transaction_lands_whole(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.bulk_write_quads = 10  # the bulk path from 11 quads on
    add, remove = _big_batch(store, 50)
    before = store.generation
    store.apply(add, remove)
    objects = {q[2] for q in store.quads(G)}
    assert len(objects) == 51 and Literal("old") not in objects and Literal("kept") in objects
    assert store.generation > before  # the SPARQL workers see the write


class _FailingBulkLoad:
    """The store, except that its bulk loader writes part of the quads and then fails (a full disk)."""

    def __init__(self, real) -> None:
        self._real = real

    def bulk_extend(self, quads) -> None:
        quads = list(quads)
        self._real.bulk_extend(quads[: len(quads) // 2])
        raise OSError("No space left on device")

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def __contains__(self, quad) -> bool:
        return quad in self._real


def test_a_failed_large_write_leaves_the_store_as_it_was() -> None:
    store = EmbeddedStore(None)
    store.bulk_write_quads = 10
    add, remove = _big_batch(store, 50)
    before = sorted(store.quads(), key=str)
    store._store = _FailingBulkLoad(store._store)
    with pytest.raises(OSError, match="No space"):
        store.apply(add, remove)
    assert sorted(store.quads(), key=str) == before
