"""Competence resolution: the JSON contract, the date, the exclusion clause, and accuracy on the
labelled questions (a development set and a held-out set written blind)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.accuracy import QUESTIONS, evaluate, load_questions
from kg.services.competence import Index, build_index, resolve
from kg.store import EmbeddedStore
from vocab.paths import ROOT

HOLDOUT = ROOT / "tests" / "data" / "competence_questions_holdout.yaml"
ORG_KEYS = {"iri", "acronym", "label"}


@pytest.fixture(scope="module")
def index(built_store: EmbeddedStore) -> Index:
    return build_index(built_store)


def test_negotiating_arrangements_for_the_gendarmerie_2013(index: Index) -> None:
    answer = resolve(index, "Qui négocie les arrangements techniques pour la gendarmerie ?", dt.date(2020, 1, 1))
    top = answer["answers"][0]
    assert top["mandate"]["legal_text"]["nor"] == "INTA1319065A"
    assert (top["mandate"]["article"], top["mandate"]["letter"]) == ("1", "k")
    assert top["holder"]["acronym"] == "DCI"
    assert "DGGN" in {b["acronym"] for b in top["beneficiaries"]}
    assert top["role"] == "implement"


def test_the_same_question_in_2011_answers_from_the_2010_text(index: Index) -> None:
    answer = resolve(index, "Qui négocie les arrangements techniques pour la gendarmerie ?", dt.date(2011, 6, 1))
    top = answer["answers"][0]
    assert top["mandate"]["legal_text"]["nor"] == "IOCC1018202A"
    assert top["mandate"]["letter"] == "f"
    assert top["mandate"]["legal_text"]["in_force_to"] == "2013-10-01"


def test_before_any_text_nothing_normative_answers(index: Index) -> None:
    answer = resolve(index, "Qui négocie les arrangements techniques pour la gendarmerie ?", dt.date(2009, 1, 1))
    assert all(a["mandate"]["legal_text"]["nor"] is None for a in answer["answers"])


def test_exclusion_comes_first_and_names_the_reserved_body(index: Index) -> None:
    answer = resolve(index, "La DGSE nous demande d'infiltrer un réseau d'espionnage", dt.date(2020, 1, 1))
    top = answer["answers"][0]
    assert top["role"] == "excluded"
    assert top["mandate"]["letter"] is None
    assert top["reserved_to"]["acronym"] == "RENS"
    assert "non compétent" in top["explanation"]


def test_json_contract(index: Index) -> None:
    answer = resolve(index, "Who trains firefighters in Chile?", dt.date(2020, 1, 1), limit=3)
    assert set(answer) == {"question", "at", "answers"}
    assert answer["at"] == "2020-01-01"
    assert 1 <= len(answer["answers"]) <= 3
    for rank, a in enumerate(answer["answers"], start=1):
        assert a["rank"] == rank
        assert set(a) == {
            "rank",
            "score",
            "role",
            "mandate",
            "holder",
            "beneficiaries",
            "partners",
            "topics",
            "explanation",
            "reserved_to",
        }
        assert set(a["mandate"]) == {"iri", "article", "letter", "text", "legal_text"}
        assert set(a["mandate"]["legal_text"]) == {
            "iri", "title", "nor", "eli", "in_force_from", "in_force_to", "in_force_to_certainty", "partial"
        }
        assert set(a["holder"]) == ORG_KEYS
        assert all(set(b) == ORG_KEYS for b in a["beneficiaries"] + a["partners"])
        assert isinstance(a["score"], float) and a["explanation"]
    scores = [a["score"] for a in answer["answers"]]
    assert scores == sorted(scores, reverse=True)
    assert answer["answers"][0]["mandate"]["letter"] == "e"
    assert answer["answers"][0]["explanation"].startswith("art. 1 e)")  # English question, English words


def test_an_asi_mission_names_the_post(index: Index) -> None:
    answer = resolve(index, "Un mandat d'arrêt international doit être exécuté à Riga", dt.date(2014, 5, 1))
    asi = [a for a in answer["answers"] if a["holder"]["acronym"] == "ASI"]
    assert asi and asi[0]["mandate"]["iri"].endswith("asi-judicial-assistance")


@pytest.mark.parametrize(("path", "top1", "top3"), [(QUESTIONS, 0.90, 0.98), (HOLDOUT, 0.70, 0.85)])
def test_accuracy_on_labelled_questions(index: Index, path, top1: float, top3: float) -> None:
    outcomes = evaluate(index, load_questions(path))
    assert len(outcomes) >= 50
    assert sum(o.top1 for o in outcomes) / len(outcomes) >= top1
    assert sum(o.top3 for o in outcomes) / len(outcomes) >= top3
