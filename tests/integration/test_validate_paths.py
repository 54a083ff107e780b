"""Whole-graph validation with pyshacl-turbo reads the store's graphs as one N-Triples text (no intermediate
in-memory store): on a store holding violations of several shapes, spread over several graphs, with a
triple asserted in two graphs and a blank node shared by two graphs, it reports exactly what the former
path (the union copied into an in-memory pyoxigraph store) reported: the same violations, focus nodes,
paths, messages and severities."""

from __future__ import annotations

import pyshacl_turbo  # noqa: F401 (a main dependency: missing, the tests fail, never skip)
import pytest
from rdflib import BNode, Graph, URIRef

from kg.gate.validation import validate_store, validate_store_copy
from kg.store import Store
from vocab.namespaces import AGREEMENTS_PUBLIC_GRAPH, AGREEMENTS_RESTRICTED_GRAPH, HISTORY_GRAPH, REFERENCE_GRAPH

PREFIXES = """
@prefix dci:  <https://w3id.org/dci-kg/ontology#> .
@prefix eli:  <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix st:   <https://w3id.org/dci-kg/id/status/> .
@prefix conf: <https://w3id.org/dci-kg/id/confidentiality/> .
@prefix inst: <https://w3id.org/dci-kg/id/instrument/> .
@prefix c:    <https://w3id.org/dci-kg/id/country/> .
@prefix agent: <https://w3id.org/dci-kg/id/agent/> .
"""

# dates out of order, no French title, a status that is not the latest change's target
PUBLIC = """
inst:VP1 a dci:Agreement ; dci:key "VP1" ; dci:partnerCountry c:MA ; dci:confidentiality conf:public ;
    dct:source "registre" ; dci:status st:signed ;
    dci:signedOn "2012-01-01"^^xsd:date ; dci:inForceOn "2010-01-01"^^xsd:date .
inst:VP2 a dci:TechnicalArrangement ; dci:key "VP2" ; eli:title "Arrangement public"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source "registre" ; eli:based_on inst:VR1 .
"""

RESTRICTED = """
inst:VR1 a dci:Agreement ; dci:key "VR1" ; eli:title "Accord restreint"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:restricted ; dct:source "registre" .
"""

# a transition the life-cycle does not allow, a rank used twice, a rank with no predecessor
HISTORY = """
inst:VP1\\/event\\/1 a dci:StatusChange ; dci:instrument inst:VP1 ; dci:toStatus st:approved ; dci:sequence 1 ;
    prov:wasAssociatedWith agent:import .
inst:VP1\\/event\\/2 a dci:StatusChange ; dci:instrument inst:VP1 ; dci:fromStatus st:in_force ;
    dci:toStatus st:signed ; dci:sequence 2 ; prov:wasAssociatedWith agent:import .
inst:VP1\\/event\\/3 a dci:StatusChange ; dci:instrument inst:VP1 ; dci:toStatus st:signed ; dci:sequence 2 ;
    prov:wasAssociatedWith agent:import .
inst:VP1\\/event\\/4 a dci:StatusChange ; dci:instrument inst:VP1 ; dci:toStatus st:approved ; dci:sequence 7 ;
    prov:wasAssociatedWith agent:import .
"""

# a directorate with no English label (core shapes)
REFERENCE = """
<https://w3id.org/dci-kg/id/org/VALIDATE-NEW> a dci:Directorate ; skos:prefLabel "nouvelle direction"@fr .
"""


def quads(ttl: str, graph: URIRef) -> list[tuple]:
    g = Graph()
    g.parse(data=PREFIXES + ttl, format="turtle")
    return [(s, p, o, graph) for s, p, o in g]


def broken(store: Store) -> None:
    add = [*quads(PUBLIC, AGREEMENTS_PUBLIC_GRAPH), *quads(RESTRICTED, AGREEMENTS_RESTRICTED_GRAPH),
           *quads(HISTORY, HISTORY_GRAPH), *quads(REFERENCE, REFERENCE_GRAPH)]  # fmt: skip
    # the same key asserted in two graphs: one triple of the union (no maxCount violation)
    add += [(*q[:3], HISTORY_GRAPH) for q in add if str(q[1]).endswith("#key") and str(q[0]).endswith("VP2")]
    # a blank status change typed in one graph, described in another: one node, one set of violations
    b = BNode("validatepathsshared")
    typed = quads("<urn:x> a <https://w3id.org/dci-kg/ontology#StatusChange> .", HISTORY_GRAPH)[0]
    rank = quads('<urn:x> <https://w3id.org/dci-kg/ontology#sequence> "0"^^xsd:integer .', AGREEMENTS_PUBLIC_GRAPH)[0]
    add += [(b, typed[1], typed[2], HISTORY_GRAPH), (b, rank[1], rank[2], AGREEMENTS_PUBLIC_GRAPH)]
    store.bulk_add(add)


def test_the_serialized_path_reports_what_the_store_copy_reported(fresh_store: Store) -> None:
    broken(fresh_store)
    new, n = validate_store(fresh_store, "turbo")
    old, _m = validate_store_copy(fresh_store)
    assert new == old
    assert n > 10_000
    messages = {(v.focus, v.message) for v in new}
    expected = [
        ("VP1", "dates are not ordered"),
        ("VP1", "exactly one French title"),
        ("VP1", "is not the target of the latest status change"),
        ("VP2", "cannot be based on, or point to, a restricted instrument"),
        ("VP1/event/2", "is not allowed by the life-cycle"),
        ("VP1/event/3", "is used twice for the same instrument"),
        ("VP1/event/4", "has no predecessor"),
    ]
    for focus, message in expected:
        assert any(f.endswith(f"/instrument/{focus}") and message in m for f, m in messages), (focus, message)
    assert any("VALIDATE-NEW" in v.focus and "English skos:prefLabel" in v.message for v in new)
    # the blank node (a SPARQL server names it anew; the bundled data has no violation of its own): one node
    shared = [v for v in new if not v.focus.startswith(("http", "urn:"))]
    assert len({v.focus for v in shared}) == 1, shared
    assert {v.path for v in shared} >= {"https://w3id.org/dci-kg/ontology#instrument", None}
    assert not any("VP2" in v.focus and "register id" in v.message for v in new)  # the key twice is one triple
    assert all(v.severity == "Violation" for v in new)


def test_the_bundled_data_conforms_on_the_serialized_path(built_store: Store) -> None:
    violations, n = validate_store(built_store, "turbo")
    assert violations == []
    assert n > 10_000


def test_the_gate_gives_the_same_violations_from_text_and_from_a_store(fresh_store: Store) -> None:
    """A batch that removes nothing is validated from N-Triples text (kg.gate.batch.batch_input); the same
    batch through the in-memory store (batch_store) gives the same violations, focus by focus."""
    from kg.gate.batch import batch_input, batch_store, focus_nodes
    from kg.gate.engine import WriteRejected, check
    from vocab.terms import quads_to_ox

    add = [*quads(PUBLIC, AGREEMENTS_PUBLIC_GRAPH), *quads(RESTRICTED, AGREEMENTS_RESTRICTED_GRAPH),
           *quads(HISTORY, HISTORY_GRAPH)]  # fmt: skip
    focus = focus_nodes(add, [])
    add_ox = list(quads_to_ox(add))
    found = []
    for build in (batch_input, batch_store):
        with pytest.raises(WriteRejected) as exc:
            check(build(fresh_store, add_ox, [], focus, False), focus, engine_name="turbo")
        found.append(exc.value.violations)
    assert found[0] == found[1]
    assert any("is not allowed by the life-cycle" in v.message for v in found[0])
    assert any("restricted instrument" in v.message for v in found[0])
