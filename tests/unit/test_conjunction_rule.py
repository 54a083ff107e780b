"""The conjunction rule (kg/services/competence/scoring.py `_conjunctions`): a question naming the broader concepts
of one concept through its topics, and nothing else, names that concept."""

from __future__ import annotations

from types import SimpleNamespace

from kg.services.competence.index import Index
from kg.services.competence.scoring import _conjunctions

BROADER = {
    "civil-security-cooperation": {"technical-cooperation", "civil-security"},
    "training": {"technical-cooperation"},
    "firefighters": {"civil-security"},
    "technical-cooperation": {"cooperation"},
    "civil-security": {"fields"},
    "european-union": {"international-bodies"},
}
INDEX = SimpleNamespace(broader=BROADER, ancestors=lambda t: Index.ancestors(INDEX, t))


def test_training_and_civil_security_name_civil_security_cooperation() -> None:
    assert _conjunctions(INDEX, {"training", "civil-security"}) == {"civil-security-cooperation"}
    assert _conjunctions(INDEX, {"training", "firefighters"}) == {"civil-security-cooperation"}


def test_one_parent_alone_names_nothing() -> None:
    assert _conjunctions(INDEX, {"training"}) == set()
    assert _conjunctions(INDEX, {"training", "technical-cooperation"}) == set()


def test_a_topic_outside_the_parents_names_nothing() -> None:
    assert _conjunctions(INDEX, {"training", "civil-security", "european-union"}) == set()


def test_the_concept_itself_is_not_added_again() -> None:
    assert _conjunctions(INDEX, {"civil-security-cooperation", "training"}) == set()
