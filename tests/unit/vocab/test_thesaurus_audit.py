"""The thesaurus read against its sources (issue 14, part 4; docs/data-audit.md): a label names the concept it
is on, not a neighbour. Each test is a class of error the audit found."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS, SKOS

from vocab.lexicon import fold
from vocab.namespaces import DCI
from vocab.paths import ONTOLOGY_DIR, REFERENCE_DIR

TOPIC = "https://w3id.org/dci-kg/id/topic/"
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
# the thesaurus concept that stands for an instrument kind of ontology/agreements.ttl
KIND_TOPICS = {URIRef(TOPIC + "technical-arrangements"): DCI.TechnicalArrangement}


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for name in ("topics.ttl", "agreements.ttl"):
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    g.parse(REFERENCE_DIR / "organisations.ttl", format="turtle")
    return g


def _labels(g: Graph, s: URIRef) -> set[str]:
    return {fold(str(o)) for p in (*LABELS, RDFS.label) for o in g.objects(s, p) if isinstance(o, Literal)}


def _disjoint_with(g: Graph, cls: URIRef) -> set[URIRef]:
    out: set[URIRef] = set()
    for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(g, g.value(node, OWL.members)))
        if cls in members:
            out |= {m for m in members if m != cls}
    return out


def _singular(label: str) -> str:
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in label.split())


def test_no_label_of_a_kind_topic_names_a_disjoint_kind(graph: Graph) -> None:
    """'protocole', 'échange de lettres' are kinds the ontology declares disjoint from technical arrangements."""
    for topic, kind in KIND_TOPICS.items():
        others = _disjoint_with(graph, kind)
        assert others, f"{kind} is declared disjoint from no kind"
        forbidden = {_singular(lab) for o in others for lab in _labels(graph, o)}
        wrong = sorted(lab for lab in _labels(graph, topic) if _singular(lab) in forbidden)
        assert not wrong, f"{topic} is labelled with the name of a disjoint kind: {wrong}"


def test_no_label_names_an_organisation_that_has_ended(graph: Graph) -> None:
    """'SCTIP' (1961-2010) is not a name of today's network."""
    ended = {
        lab
        for org in graph.subjects(DCI.validTo, None)
        if (org, RDF.type, SKOS.Concept) not in graph
        for lab in _labels(graph, org) | {fold(str(a)) for a in graph.objects(org, DCI.acronym)}
    }
    assert fold("SCTIP") in ended
    wrong = sorted(
        (str(s), str(o))
        for p in LABELS
        for s, o in graph.subject_objects(p)
        if str(s).startswith(TOPIC) and isinstance(o, Literal) and fold(str(o)) in ended
    )
    assert not wrong, f"topics labelled with the name of an organisation that has ended: {wrong}"


# labels the audit found on the wrong concept: what they name is not what the concept is
MISPLACED = [
    ("technical-arrangements", "MoU"),  # a memorandum of understanding is not a technical arrangement
    ("technical-arrangements", "mémorandum d'entente"),
    ("technical-arrangements", "protocole d'accord"),
    ("identity-documents", "carte grise"),  # a vehicle registration certificate, not an identity document
    ("identity-documents", "vehicle registration"),
    ("asylum", "CNDA"),  # a court (Cour nationale du droit d'asile), not a body of the DGEF's remit
    ("cybercrime", "cybersécurité"),  # security of systems, not the offences
    ("cybercrime", "cybersecurity"),
]


@pytest.mark.parametrize(("code", "label"), MISPLACED)
def test_misplaced_labels_stay_off(graph: Graph, code: str, label: str) -> None:
    topic = URIRef(TOPIC + code)
    assert (topic, DCI.code, Literal(code)) in graph
    assert fold(label) not in _labels(graph, topic)
