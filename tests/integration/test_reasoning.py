"""Reasoning: HermiT finds the bundled knowledge base consistent and an inconsistent one inconsistent;
materialised inferences are visible to plain SPARQL."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.reasoning import asserted_graph, check_consistency, materialise
from kg.store import EmbeddedStore
from vocab.namespaces import DCI, ID, ORG


def test_bundled_knowledge_base_is_consistent(built_store: EmbeddedStore) -> None:
    report = check_consistency(asserted_graph(built_store))
    assert report.consistent, report.message
    assert report.individuals > 500
    assert report.unsatisfiable == []


def test_an_inconsistent_knowledge_base_is_reported(built_store: EmbeddedStore) -> None:
    g: Graph = asserted_graph(built_store)
    # countries and organisations are disjoint: a thing cannot be both
    g.add((ID["org/DCI"], RDF.type, DCI.Country))
    report = check_consistency(g)
    assert not report.consistent
    assert "inconsistent" in report.message


def test_inferred_types_and_inverses_are_materialised(fresh_store: EmbeddedStore) -> None:
    assert materialise(fresh_store) > 0
    assert fresh_store.ask(
        f"ASK {{ GRAPH <https://w3id.org/dci-kg/graph/inferred> {{ <{ID}org/DCI> a <{ORG}Organization> }} }}"
    )
    k = URIRef(f"{ID}text/INTA1319065A/art/1/item/k")
    assert fresh_store.ask(
        f"ASK {{ <{ID}text/INTA1319065A/art/1> <http://data.europa.eu/eli/ontology#has_part> <{k}> }}"
    )
    # materialising twice gives the same graph
    before = set(fresh_store.quads(URIRef("https://w3id.org/dci-kg/graph/inferred")))
    materialise(fresh_store)
    assert set(fresh_store.quads(URIRef("https://w3id.org/dci-kg/graph/inferred"))) == before


def test_inferences_from_restricted_graphs_stay_restricted(fresh_store: EmbeddedStore) -> None:
    from kg.services import agreements
    from vocab import iris
    from vocab.namespaces import INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH

    row = {
        "id": "TEST-RESTRICTED-INFERENCE",
        "kind": "technical_arrangement",
        "title": "Arrangement technique restreint",
        "partner_country": "MA",
        "status": "negotiating",
        "confidentiality": "restricted",
        "source": "https://example.org/restricted",
    }
    public_before = set(fresh_store.quads(INFERRED_GRAPH))
    agreements.import_rows(fresh_store, [row], source="test")  # materialises
    iri = iris.instrument(row["id"])
    restricted = fresh_store.quads(INFERRED_RESTRICTED_GRAPH)
    assert (iri, RDF.type, DCI.Instrument, INFERRED_RESTRICTED_GRAPH) in restricted
    assert set(fresh_store.quads(INFERRED_GRAPH)) == public_before  # nothing about it in the public graph
    materialise(fresh_store)  # recomputing changes nothing
    assert set(fresh_store.quads(INFERRED_RESTRICTED_GRAPH)) == set(restricted)
    assert set(fresh_store.quads(INFERRED_GRAPH)) == public_before


def test_a_status_change_and_a_move_to_restricted_refresh_the_inferences_as_a_full_derivation_would(
    fresh_store: EmbeddedStore,
) -> None:
    """Writes about a few nodes refresh only their inferences (kg.reasoning.refresh); the result must be
    exactly what deriving the whole store again gives."""
    import datetime as dt

    from kg.services import agreements
    from vocab.namespaces import INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH

    def inferred() -> set:
        return set(fresh_store.quads(INFERRED_GRAPH)) | set(fresh_store.quads(INFERRED_RESTRICTED_GRAPH))

    def full() -> set:
        materialise(fresh_store)
        return inferred()

    row = {
        "id": "TEST-REFRESH",
        "kind": "agreement",
        "title": "Accord de test",
        "partner_country": "MA",
        "status": "negotiating",
        "confidentiality": "public",
        "source": "https://example.org/refresh",
    }
    agreements.import_rows(fresh_store, [row], source="test")
    assert inferred() == full()
    agreements.transition(fresh_store, "TEST-REFRESH", "initialled", date=dt.date(2020, 1, 1), by="test")
    after_transition = inferred()
    assert any(q[0].endswith("TEST-REFRESH/event/2") for q in after_transition)  # the new event is typed
    assert after_transition == full()
    agreements.import_rows(fresh_store, [{**row, "status": "initialled", "confidentiality": "restricted"}], source="t")
    moved = inferred()
    assert not any("TEST-REFRESH" in str(q[0]) for q in fresh_store.quads(INFERRED_GRAPH))
    assert moved == full()
