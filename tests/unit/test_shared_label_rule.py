"""The shared-label rule (kg/services/competence/scoring.py `_shared`): a label of two unrelated concepts (neither
broader than the other, no broader concept in common) names one of them, not both, so each counts at a share;
a label of a concept and its broader concept, or of two siblings, is one sense and counts whole."""

from __future__ import annotations

from types import SimpleNamespace

from kg.services.competence.index import Index
from kg.services.competence.scoring import _shared

BROADER = {
    "promotion-french-expertise": {"cooperation"},
    "expert-missions": {"technical-cooperation"},
    "technical-cooperation": {"cooperation-types"},
    "local-elected-officials": {"local-authorities"},
    "municipalities": {"local-authorities"},
    "identity-documents": {"administration"},
}
INDEX = SimpleNamespace(broader=BROADER, ancestors=lambda t: Index.ancestors(INDEX, t))


def match(*topics: str) -> SimpleNamespace:
    return SimpleNamespace(payloads=frozenset(topics))


def test_a_label_of_two_unrelated_concepts_names_each_at_a_share() -> None:
    shared = _shared(INDEX, [match("promotion-french-expertise", "expert-missions"), match("identity-documents")])
    assert shared == {"promotion-french-expertise", "expert-missions"}


def test_siblings_or_a_concept_and_its_broader_one_are_one_sense() -> None:
    assert _shared(INDEX, [match("local-elected-officials", "municipalities")]) == set()
    assert _shared(INDEX, [match("expert-missions", "technical-cooperation")]) == set()


def test_a_concept_named_alone_elsewhere_in_the_question_counts_whole() -> None:
    matches = [match("promotion-french-expertise", "expert-missions"), match("expert-missions")]
    assert _shared(INDEX, matches) == {"promotion-french-expertise"}
