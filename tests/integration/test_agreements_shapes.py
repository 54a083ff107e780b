"""Valid/invalid example pairs for every agreements shape (pyshacl, the reference engine)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg import gate
from kg.gate.shapes import ontology_graph

PREFIXES = """
@prefix dci:  <https://w3id.org/dci-kg/ontology#> .
@prefix eli:  <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix st:   <https://w3id.org/dci-kg/id/status/> .
@prefix conf: <https://w3id.org/dci-kg/id/confidentiality/> .
@prefix inst: <https://w3id.org/dci-kg/id/instrument/> .
@prefix c:    <https://w3id.org/dci-kg/id/country/> .
@prefix ev:   <https://w3id.org/dci-kg/id/instrument/A/event/> .
"""

VALID = """
c:MA a dci:Country ; dci:alpha2 "MA" ; skos:prefLabel "Maroc"@fr , "Morocco"@en .
<https://w3id.org/dci-kg/id/agent/test> a prov:Agent ; rdfs:label "test" .
inst:A a dci:Agreement ; dci:key "A" ; eli:title "Accord"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:public ; dct:source <https://example.org/a> ; dci:status st:approved ;
    dci:signedOn "2010-01-01"^^xsd:date ; dci:approvedOn "2011-01-01"^^xsd:date .
ev:1 a dci:StatusChange ; dci:instrument inst:A ; dci:toStatus st:signed ; dci:sequence 1 ;
    prov:wasAssociatedWith <https://w3id.org/dci-kg/id/agent/test> .
ev:2 a dci:StatusChange ; dci:instrument inst:A ; dci:fromStatus st:signed ; dci:toStatus st:approved ;
    dci:sequence 2 ; dci:statusDate "2011-01-01"^^xsd:date ;
    prov:wasAssociatedWith <https://w3id.org/dci-kg/id/agent/test> .
inst:T a dci:TechnicalArrangement ; dci:key "T" ; eli:title "Arrangement"@fr ; dci:partnerCountry c:MA ;
    dci:confidentiality conf:restricted ; dct:source "registre" ; eli:based_on inst:A .
"""

FOCUS = [URIRef(f"https://w3id.org/dci-kg/id/instrument/{n}") for n in ("A", "A/event/1", "A/event/2", "T")]


def graph(ttl: str, replace: tuple[tuple[str, str], ...] = ()) -> Graph:
    text = VALID
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    g = Graph()
    g += ontology_graph()
    g.parse(data=PREFIXES + text + ttl, format="turtle")
    return g


def violations(g: Graph, engine: str = "pyshacl") -> list[str]:
    try:
        gate.check(g, FOCUS, engine_name=engine)
    except gate.WriteRejected as exc:
        return [v.message for v in exc.violations]
    return []


def test_the_valid_example_conforms():
    assert violations(graph("")) == []


AGENT = "prov:wasAssociatedWith <https://w3id.org/dci-kg/id/agent/test>"
INVALID = [
    # (what is wrong, Turtle added to the valid example, (old, new) replacements, expected message fragment)
    ("no partner country", "", (("dci:partnerCountry c:MA ;\n    dci:confidentiality conf:public",
                                 "dci:confidentiality conf:public"),), "partner country"),
    ("unknown status concept", "inst:T dci:status <https://example.org/nope> .", (), "status scheme"),
    ("bad confidentiality", "inst:T dci:confidentiality <https://example.org/secret> .", (), "confidentiality scheme"),
    ("title not in French", 'inst:T eli:title "Arrangement"@en .', (), "French title"),
    ("no source", "", (('dct:source "registre" ;', ""),), "dct:source"),
    ("parent is not an agreement", "inst:P a dci:Protocol . inst:T eli:based_on inst:P .", (), "parent"),
    ("dates out of order", 'inst:A dci:inForceOn "2009-06-01"^^xsd:date .', (), "dates are not ordered"),
    ("status is not the latest change's target", "", (("dci:status st:approved ;", "dci:status st:signed ;"),),
     "current status"),
    ("status with no history", "inst:T dci:status st:signed .", (), "current status"),
    ("change does not start where the previous ended", "", (("dci:fromStatus st:signed ;", ""),),
     "does not start where"),
    ("transition not allowed by the life-cycle", "", (("dci:fromStatus st:signed ;", "dci:fromStatus st:planned ;"),),
     "not allowed by the life-cycle"),
    ("duplicate rank", "", (("dci:sequence 1 ;", "dci:sequence 2 ;"),), "used twice"),
    ("event without recorder", "", ((f"dci:sequence 1 ;\n    {AGENT} .", "dci:sequence 1 ."),), "recorded"),
    ("to-status outside the scheme", "ev:1 dci:toStatus <https://example.org/nope> .", (), "status scheme"),
    ("topic outside the thesaurus", "inst:A dci:topic st:signed .", (), "topic scheme"),
    ("public instrument based on a restricted one", "",
     (("conf:public ; dct:source <https://example.org/a>", "conf:restricted ; dct:source <https://example.org/a>"),
      ('conf:restricted ; dct:source "registre"', 'conf:public ; dct:source "registre"')),
     "cannot be based on, or point to, a restricted instrument"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "extra", "replace", "expected"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_examples_are_refused(what, extra, replace, expected):
    found = violations(graph(extra, replace))
    assert any(expected in m for m in found), (what, found)


@pytest.mark.parametrize(("what", "extra", "replace", "expected"), [("valid", "", (), ""), *INVALID],
                         ids=["valid"] + [i[0] for i in INVALID])  # fmt: skip
def test_pyshacl_turbo_gives_the_same_verdicts_as_pyshacl(what, extra, replace, expected):
    g = graph(extra, replace)
    reference = violations(g, "pyshacl")
    fast = violations(g, "turbo")
    assert bool(reference) == bool(fast), what
    if expected:
        assert any(expected in m for m in fast), (what, fast)
