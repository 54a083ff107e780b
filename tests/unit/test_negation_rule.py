"""The negation rule (kg/services/competence/scoring.py `_denied`): a topic the question names only after a
negation word of the same clause, within a few content words, names no case for the exclusion rule ("quand aucune
autre direction n'est autorité responsable" denies the case décret 2013-728 art. 23 para. 5 reserves)."""

from __future__ import annotations

from types import SimpleNamespace

from kg.services.competence.index import Exclusion
from kg.services.competence.scoring import _denied, _exclusion
from vocab.lexicon import tokenize

NEGATIONS = frozenset({"ne", "n", "pas", "non", "aucun", "aucune", "not", "no"})
FUNCTION = frozenset({"le", "la", "l", "de", "d", "est", "is", "the", "or", "a", "ete"})


def is_function_word(word: str) -> bool:
    return word in FUNCTION


def mentions(question: str, word: str):
    """The match of the topic `t` on each token `word` of the question (a one-word label)."""
    tokens = tokenize(question)
    found = [SimpleNamespace(first=i, last=i + 1, payloads={"t"}) for i, t in enumerate(tokens) if t.norm == word]
    return found, tokens


def denied(question: str, word: str) -> set[str]:
    matches, tokens = mentions(question, word)
    return _denied(matches, tokens, NEGATIONS, is_function_word)


def test_a_case_named_is_not_denied() -> None:
    assert denied("Pour le FAMI, dont la DGEF est l'autorité responsable, qui vérifie ?", "responsable") == set()


def test_a_case_after_a_negation_of_its_clause_is_denied() -> None:
    assert denied("Qui veille aux fonds quand aucune autre direction n'a été désignée autorité responsable ?",
                  "responsable") == {"t"}
    assert denied("Who checks the funds, when no other directorate is the responsible or delegated authority?",
                  "delegated") == {"t"}


def test_a_negation_in_another_clause_does_not_deny() -> None:
    assert denied("Ce n'est pas la DGEF, mais la DGPN est autorité responsable", "responsable") == set()


def test_a_negation_far_before_does_not_deny() -> None:
    q = "Not that the ministry's own police programme office in Brussels is the authority"
    assert denied(q, "authority") == set()


def test_a_case_named_once_plainly_and_once_denied_is_named() -> None:
    q = "La DGEF est autorité responsable ; aucune autre direction n'est autorité responsable"
    assert denied(q, "responsable") == set()


def test_a_denied_topic_does_not_exclude() -> None:
    ex = Exclusion("mandate/para-5", "hormis le cas où …", {"org/AUTHORITY"}, {"topic/authority"})
    index = SimpleNamespace(exclusions=[ex], bodies={"topic/authority": {"org/AUTHORITY"}})
    live = [SimpleNamespace(iri="mandate/para-5")]
    assert _exclusion(index, {"topic/authority": 1.0}, live) is ex
    assert _exclusion(index, {"topic/authority": 1.0}, live, {"topic/authority"}) is None
