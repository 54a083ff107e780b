"""The write gate: bad input is refused with a message naming the problem, and the store is exactly as
it was; good input lands in one piece."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import gate
from kg.services.build import load_files
from kg.store import EmbeddedStore
from loaders.legal_text import LegalTextError
from loaders.rdf_files import RdfFileError
from vocab.namespaces import ID, REFERENCE_GRAPH
from vocab.paths import LEGAL_TEXTS_DIR

SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def snapshot(store: EmbeddedStore) -> set:
    return set(store.quads())


def test_rdf_breaking_a_shape_is_refused_and_nothing_changes(fresh_store: EmbeddedStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix dci: <https://w3id.org/dci-kg/ontology#> .\n"
        "<https://w3id.org/dci-kg/id/org/NEW> a dci:Directorate ;\n"
        '  <http://www.w3.org/2004/02/skos/core#prefLabel> "nouvelle direction"@fr .\n',
        encoding="utf-8",
    )
    before = snapshot(fresh_store)
    with pytest.raises(gate.WriteRejected) as exc:
        load_files(fresh_store, [bad])
    assert "English skos:prefLabel" in str(exc.value)
    assert "org/NEW" in str(exc.value)
    assert snapshot(fresh_store) == before


def test_bad_data_about_an_existing_node_is_caught_through_its_neighbourhood(fresh_store: EmbeddedStore) -> None:
    """Adding a beneficiary that is not an organisation to an existing mandate: only the store knows the
    mandate's other triples, the gate must fetch them."""
    k = URIRef(f"{ID}text/INTA1319065A/art/1/item/k")
    before = snapshot(fresh_store)
    with pytest.raises(gate.WriteRejected, match="beneficiary must be an organisation"):
        gate.commit(
            fresh_store,
            [(k, URIRef("https://w3id.org/dci-kg/ontology#beneficiary"), ID["country/FR"], REFERENCE_GRAPH)],
        )
    assert snapshot(fresh_store) == before


def test_malformed_legal_text_is_refused_and_nothing_changes(fresh_store: EmbeddedStore, tmp_path: Path) -> None:
    good = (LEGAL_TEXTS_DIR / "arrete-2013-08-12-INTA1319065A.md").read_text(encoding="utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text(good.replace("c) Elle anime et coordonne", "d) Elle anime et coordonne", 1), encoding="utf-8")
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        '<https://w3id.org/dci-kg/id/org/DCI> <http://www.w3.org/2004/02/skos/core#altLabel> "test"@fr .\n'
    )
    before = snapshot(fresh_store)
    with pytest.raises(LegalTextError, match=r"broken\.md:\d+: article 1: item d\) where c\) was expected"):
        load_files(fresh_store, [extra, broken])  # the good file first: all or nothing
    assert snapshot(fresh_store) == before


def test_malformed_rdf_names_the_file(fresh_store: EmbeddedStore, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    before = snapshot(fresh_store)
    with pytest.raises(RdfFileError, match=r"broken\.ttl: malformed turtle"):
        load_files(fresh_store, [bad])
    assert snapshot(fresh_store) == before


def test_reloading_a_legal_text_replaces_its_graph(fresh_store: EmbeddedStore) -> None:
    path = LEGAL_TEXTS_DIR / "arrete-2013-08-12-INTA1319065A.md"
    before = snapshot(fresh_store)
    load_files(fresh_store, [path])
    assert snapshot(fresh_store) == before


def test_valid_rdf_lands(fresh_store: EmbeddedStore, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(
        '<https://w3id.org/dci-kg/id/org/DCI> <http://www.w3.org/2004/02/skos/core#altLabel> "la DCI"@fr .\n',
        encoding="utf-8",
    )
    load_files(fresh_store, [good])
    rows = fresh_store.select(
        "SELECT ?l WHERE { <https://w3id.org/dci-kg/id/org/DCI> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }"
    )
    assert Literal("la DCI", lang="fr") in {r["l"] for r in rows}


def test_bundled_data_conforms(built_store: EmbeddedStore) -> None:
    from kg.gate.validation import validate_store

    violations, n = validate_store(built_store)
    assert violations == []
    assert n > 10_000


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
def test_whole_graph_validation_finds_a_broken_instrument(fresh_store: EmbeddedStore, engine: str) -> None:
    """Both engines (turbo on a pyoxigraph copy of the store) report the same violations."""
    import pyshacl_turbo  # noqa: F401  a main dependency: missing, the test fails (never skips)
    from rdflib.namespace import RDF, XSD

    from kg.gate.validation import validate_store
    from vocab.namespaces import DCI, agreements_graph

    inst = URIRef("https://w3id.org/dci-kg/id/instrument/BROKEN")
    g = agreements_graph("public")
    fresh_store.bulk_add([(inst, RDF.type, DCI.Agreement, g), (inst, DCI.key, Literal("BROKEN"), g),
                          (inst, DCI.signedOn, Literal("2012-01-01", datatype=XSD.date), g),
                          (inst, DCI.inForceOn, Literal("2010-01-01", datatype=XSD.date), g)])  # fmt: skip
    violations, _n = validate_store(fresh_store, engine)
    mine = sorted(v.message for v in violations if v.focus == str(inst))
    assert any("dates are not ordered" in m for m in mine)
    assert any("French title" in m for m in mine)
    assert all(v.focus == str(inst) for v in violations)


def test_both_gate_paths_give_the_same_violations(fresh_store: EmbeddedStore) -> None:
    """pyshacl validates an rdflib graph of the batch and its neighbourhood, pyshacl-turbo an in-memory
    pyoxigraph copy of the same triples: a batch that breaks an instrument and touches an existing
    mandate is refused by both, with the same violations, and nothing is written."""
    import pyshacl_turbo  # noqa: F401  a main dependency: missing, the test fails (never skips)
    from rdflib.namespace import RDF, XSD

    from vocab.namespaces import DCI, agreements_graph

    inst = URIRef(f"{ID}instrument/BROKEN")
    g = agreements_graph("public")
    k = URIRef(f"{ID}text/INTA1319065A/art/1/item/k")
    add = [(inst, RDF.type, DCI.Agreement, g), (inst, DCI.key, Literal("BROKEN"), g),
           (inst, DCI.signedOn, Literal("2012-01-01", datatype=XSD.date), g),
           (inst, DCI.inForceOn, Literal("2010-01-01", datatype=XSD.date), g),
           (k, DCI.beneficiary, ID["country/FR"], REFERENCE_GRAPH)]  # fmt: skip
    before = snapshot(fresh_store)
    found = {}
    for engine in ("pyshacl", "turbo"):
        with pytest.raises(gate.WriteRejected) as exc:
            gate.commit(fresh_store, add, engine_name=engine)
        found[engine] = [(v.focus, v.path, v.message) for v in exc.value.violations]
        assert snapshot(fresh_store) == before
    assert found["pyshacl"] == found["turbo"]
    messages = " ".join(m for _f, _p, m in found["turbo"])
    assert "dates are not ordered" in messages and "beneficiary must be an organisation" in messages


def test_a_triple_moved_between_graphs_stays_for_validation(fresh_store: EmbeddedStore) -> None:
    """Removing a triple from one graph and adding it to another keeps it in the validated graph (both
    paths): moving a legal text's title to the reference graph is accepted."""
    title = URIRef("http://data.europa.eu/eli/ontology#title")
    quad = next(q for q in fresh_store.quads() if q[1] == title and "INTA1319065A" in str(q[0]))
    moved = (quad[0], quad[1], quad[2], REFERENCE_GRAPH)
    for engine, (add, remove) in (("turbo", ([moved], [quad])), ("pyshacl", ([quad], [moved]))):
        gate.commit(fresh_store, add, remove, engine_name=engine)
    assert quad in snapshot(fresh_store)
