"""The register shapes' SPARQL constraints, run through SPARQL targets (kg/gate/targets.py: evaluated once,
not once per focus node), report exactly what the shapes as written report: on a graph violating every one
of them (and some core constraints), the same violations (focus node, path, message, severity), with
pyshacl-turbo and with pyshacl; and the gate, which runs the rewritten shapes, refuses the same writes."""

from __future__ import annotations

import pyshacl_turbo  # noqa: F401 (a main dependency: missing, the tests fail, never skip)
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.gate.engine import engine, violations_of
from kg.gate.shapes import ontology_graph, register_shapes, shapes_graph, validation_shapes
from tests.integration.test_validate_paths import PREFIXES

DATA = PREFIXES + """
# public, points to a restricted agreement, dates out of order, a topic outside the thesaurus, a status and
# no status change at all
inst:T1 a dci:TechnicalArrangement ; dci:key "T1" ; eli:title "Arrangement"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source "registre" ; eli:based_on inst:TR ; dci:status st:signed ;
    dci:topic <https://w3id.org/dci-kg/id/topic/not-a-topic> ;
    dci:signedOn "2012-01-01"^^xsd:date ; dci:inForceOn "2010-01-01"^^xsd:date .
inst:TR a dci:Agreement ; dci:key "TR" ; eli:title "Accord restreint"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:restricted ; dct:source "registre" .

# a status that is not the latest change's target; a transition the life-cycle does not allow, a change not
# starting where the previous one ended, a rank used twice, a rank with no predecessor, a status outside
# the scheme
inst:T2 a dci:Agreement ; dci:key "T2" ; eli:title "Accord"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source "registre" ; dci:status st:signed .
inst:T2\\/event\\/1 a dci:StatusChange ; dci:instrument inst:T2 ; dci:toStatus st:approved ; dci:sequence 1 ;
    prov:wasAssociatedWith agent:import .
inst:T2\\/event\\/2 a dci:StatusChange ; dci:instrument inst:T2 ; dci:fromStatus st:in_force ;
    dci:toStatus st:signed ; dci:sequence 2 ; prov:wasAssociatedWith agent:import .
inst:T2\\/event\\/3 a dci:StatusChange ; dci:instrument inst:T2 ; dci:toStatus st:signed ; dci:sequence 2 ;
    prov:wasAssociatedWith agent:import .
inst:T2\\/event\\/4 a dci:StatusChange ; dci:instrument inst:T2 ;
    dci:toStatus <https://w3id.org/dci-kg/id/status/nope> ; dci:sequence 7 ; prov:wasAssociatedWith agent:import .

# a status change and no current status
inst:T3 a dci:Agreement ; dci:key "T3" ; eli:title "Accord"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source "registre" .
inst:T3\\/event\\/1 a dci:StatusChange ; dci:instrument inst:T3 ; dci:toStatus st:signed ; dci:sequence 1 ;
    prov:wasAssociatedWith agent:import .

# a confidentiality on a node of no register kind
inst:T4 a dci:Country ; dci:confidentiality conf:public .
"""


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    g += ontology_graph()  # classes, schemes, statuses and the allowed transitions
    g.parse(data=DATA, format="turtle")
    return g


def report(data: Graph, name: str, shapes: Graph, advanced: bool) -> Graph:
    _conforms, result, _text = engine(name)(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=advanced
    )
    return result


def moved_constraints() -> set:
    g = shapes_graph()
    return {c for s in register_shapes() for c in g.objects(s, SH.sparql)}


def test_every_register_sparql_constraint_is_moved_to_a_sparql_target() -> None:
    written, rewritten = shapes_graph(), validation_shapes()
    assert moved_constraints() and len(moved_constraints()) >= 9
    for shape in register_shapes():
        assert not set(rewritten.objects(shape, SH.sparql)), shape
        assert set(rewritten.objects(shape, SH.property)) == set(written.objects(shape, SH.property))
    targeted = {c for s in rewritten.subjects(SH.target, None) for c in rewritten.objects(s, SH.sparql)}
    assert targeted == moved_constraints()
    for t in rewritten.objects(None, SH.target):
        assert rewritten.value(t, RDF.type) == SH.SPARQLTarget


@pytest.mark.parametrize("name", ["turbo", "pyshacl"])
def test_the_rewritten_shapes_report_what_the_written_shapes_report(data: Graph, name: str) -> None:
    before = report(data, name, shapes_graph(), advanced=False)
    after = report(data, name, validation_shapes(), advanced=True)
    # every moved constraint is violated at least once: the comparison covers each of them
    assert moved_constraints() <= set(before.objects(None, SH.sourceConstraint))
    assert moved_constraints() <= set(after.objects(None, SH.sourceConstraint))
    assert violations_of(after) == violations_of(before)
    messages = {v.message for v in violations_of(after)}
    assert "status change 7 has no predecessor: ranks of an instrument run 1, 2, 3 …" in messages
    assert any("is not allowed by the life-cycle" in m for m in messages)
    focus = {v.focus for v in violations_of(after)}
    assert {"https://w3id.org/dci-kg/id/instrument/T4", "https://w3id.org/dci-kg/id/instrument/T3"} <= focus


def test_a_valid_instrument_passes_both_ways(data: Graph) -> None:
    ok = Graph()
    ok += ontology_graph()
    ok.parse(
        data=DATA.split("# public, points")[0]
        + """
inst:V1 a dci:Agreement ; dci:key "V1" ; eli:title "Accord"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source "registre" ; dci:status st:signed .
inst:V1\\/event\\/1 a dci:StatusChange ; dci:instrument inst:V1 ; dci:toStatus st:signed ; dci:sequence 1 ;
    prov:wasAssociatedWith agent:import .
""",
        format="turtle",
    )
    sparql_results = [
        v
        for v in violations_of(report(ok, "turbo", validation_shapes(), advanced=True))
        if v.focus.startswith("https://w3id.org/dci-kg/id/instrument/V1") and v.path is None
    ]
    assert sparql_results == []
    assert URIRef("https://w3id.org/dci-kg/id/instrument/V1") in set(ok.subjects(RDF.type, None))
