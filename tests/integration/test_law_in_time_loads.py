"""A replacing text loaded after `init` (`dci-kg load`, a real store, the CLI in a subprocess) ends the text it
replaces at once, with the certainty of its entry into force; a text held in part answers for what it holds,
and the last complete version for the rest, marked superseded; a contradictory end is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.services.succession import ends
from tests.integration.test_cli import run
from vocab.namespaces import DCI, ELI, ID

ROOT = Path(__file__).resolve().parents[2]
PARTIAL = ROOT / "tests/data/legal-texts/test-fixture-arrete-dcis-2022.md"
QUESTION = "Qui négocie les arrangements techniques pour la gendarmerie ?"
ROAD = "Qui coordonne la coopération technique en matière de sécurité routière ?"
TEXT = "https://w3id.org/dci-kg/id/text/"
END = "SELECT ?to ?c WHERE { <%s> <http://data.europa.eu/eli/ontology#date_no_longer_in_force> ?to . OPTIONAL { <%s> <https://w3id.org/dci-kg/ontology#endCertainty>/<https://w3id.org/dci-kg/ontology#code> ?c } }"  # noqa: E501

# a successor known from its metadata only, written for the test (not a real text)
SUCCESSOR = """
@prefix dci:  <https://w3id.org/dci-kg/ontology#> .
@prefix eli:  <http://data.europa.eu/eli/ontology#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix text: <https://w3id.org/dci-kg/id/text/> .
@prefix cert: <https://w3id.org/dci-kg/id/certainty/> .
text:TEST-2024-METADATA a dci:LegalText ; dci:key "TEST-2024-METADATA" ; dct:source "written for the test" ;
    eli:title "Arrêté de test du 2 janvier 2024 (texte non publié)"@fr ; dci:certainty cert:certain ;
    eli:first_date_entry_in_force "2024-01-02"^^xsd:date ; dci:inForceCertainty cert:uncertain ;
    dci:replaces text:ARRETE-2021-07-15-DCIS .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("built") / "store"
    run("init", store=path)
    return path


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    return copy


def _answers(store: Path, question: str, at: str) -> list[dict]:
    return json.loads(run("ask", question, "--at", at, "--json", store=store).stdout)["answers"]


def _end(store: Path, iri: str) -> list[list[str]]:
    rows = json.loads(run("query", END % (iri, iri), "--json", store=store).stdout)
    return [[str(r.get("to")), str(r.get("c"))] for r in rows]


def test_a_metadata_record_loaded_after_init_ends_the_text_it_replaces(store: Path, tmp_path: Path) -> None:
    assert _end(store, TEXT + "ARRETE-2021-07-15-DCIS") == []  # in force, as far as the sources go
    record = tmp_path / "successor.ttl"
    record.write_text(SUCCESSOR, encoding="utf-8")
    run("load", str(record), store=store)
    assert _end(store, TEXT + "ARRETE-2021-07-15-DCIS") == [["2024-01-01", "uncertain"]]
    top = _answers(store, QUESTION, "2026-01-01")[0]["mandate"]["legal_text"]
    assert (top["nor"], top["in_force_to"], top["in_force_to_certainty"]) == ("INTA1319065A", "2021-07-31", "probable")
    assert top["superseded_by"]["iri"] == TEXT + "ARRETE-2021-07-15-DCIS"
    assert [t["iri"] for t in top["superseded_by"]["then"]] == [TEXT + "TEST-2024-METADATA"]
    assert top["superseded_by"]["then"][0]["certainty"] == "uncertain"
    assert top["superseded_by"]["then"][0]["text_held"] is False
    earlier = _answers(store, QUESTION, "2022-01-01")[0]["mandate"]["legal_text"]["superseded_by"]
    assert earlier["then"] == []  # the test text was not in force yet


def test_a_text_held_in_part_answers_for_what_it_holds_and_the_last_complete_one_for_the_rest(store: Path) -> None:
    run("load", str(PARTIAL), store=store)
    new = TEXT + "arrete/2022/3/3"
    assert _end(store, TEXT + "ARRETE-2021-07-15-DCIS") == [["2022-03-31", "None"]]  # the fixture gives no certainty
    road = _answers(store, ROAD, "2022-06-01")
    assert road[0]["mandate"]["legal_text"]["iri"] == new and road[0]["mandate"]["legal_text"]["partial"] is True
    assert "superseded_by" not in road[0]["mandate"]["legal_text"]
    assert all(a["mandate"]["legal_text"]["iri"] != TEXT + "INTA1319065A" for a in road)  # covered: it yields
    top = _answers(store, QUESTION, "2022-06-01")[0]  # not in the part held: the 2013 text, marked
    assert (top["mandate"]["legal_text"]["nor"], top["mandate"]["letter"]) == ("INTA1319065A", "k")
    chain = top["mandate"]["legal_text"]["superseded_by"]
    assert chain["iri"] == TEXT + "ARRETE-2021-07-15-DCIS" and chain["text_held"] is False
    assert [(t["iri"], t["text_held"], t["partial"]) for t in chain["then"]] == [(new, True, True)]
    plain = " ".join(run("ask", QUESTION, "--at", "2022-06-01", "--limit", "1", store=store).stdout.split())
    assert "puis remplacé le 2022-04-01 par Arrêté du 3 mars 2022" in plain
    assert "(texte reproduit en partie dans la base)" in plain and "dernière version complète" in plain
    before = _answers(store, ROAD, "2020-06-01")  # a text without a NOR does not answer before it is in force
    assert all(a["mandate"]["legal_text"]["iri"] != new for a in before)
    assert before[0]["mandate"]["legal_text"]["iri"] == TEXT + "INTA1319065A"


def test_a_successor_giving_a_second_end_is_refused_and_nothing_is_written(store: Path, tmp_path: Path) -> None:
    record = tmp_path / "successor.ttl"
    record.write_text(SUCCESSOR, encoding="utf-8")
    run("load", str(record), store=store)
    proc = run("load", str(PARTIAL), store=store, check=False)  # it would end the 2021 arrêté on 2022-03-31
    assert proc.returncode != 0 and "at most one end date" in " ".join(proc.stderr.split())
    assert _end(store, TEXT + "ARRETE-2021-07-15-DCIS") == [["2024-01-01", "uncertain"]]


# -- the rule itself, on quads ---------------------------------------------------------------------------------
G, H = URIRef("urn:g"), URIRef("urn:h")
OLD, NEW = ID["text/OLD"], ID["text/NEW"]
CERT = ID["certainty/probable"]


def _date(d: str) -> Literal:
    return Literal(d, datatype=XSD.date)


def test_the_end_is_the_day_before_in_the_graph_of_the_replacement_with_its_certainty() -> None:
    facts = [(NEW, DCI.replaces, OLD, H), (NEW, ELI.first_date_entry_in_force, _date("2021-03-01"), G),
             (NEW, DCI.inForceCertainty, CERT, G)]  # fmt: skip
    assert set(ends(facts)) == {(OLD, ELI.date_no_longer_in_force, _date("2021-02-28"), H),
                                (OLD, DCI.endCertainty, CERT, H)}  # fmt: skip


def test_no_end_without_a_known_entry_into_force_and_none_over_an_end_from_elsewhere() -> None:
    assert ends([(NEW, DCI.replaces, OLD, G), (NEW, DCI.inForceBy, _date("2021-07-15"), G)]) == []
    facts = [(NEW, DCI.replaces, OLD, G), (NEW, ELI.first_date_entry_in_force, _date("2021-03-01"), G),
             (NEW, DCI.inForceCertainty, CERT, G),
             (OLD, ELI.date_no_longer_in_force, _date("2020-12-31"), H)]  # fmt: skip
    assert ends(facts) == []  # the end recorded elsewhere stands (the gate refuses a second one)
    same = [*facts[:3], (OLD, ELI.date_no_longer_in_force, _date("2021-02-28"), G)]
    assert ends(same) == [(OLD, DCI.endCertainty, CERT, G)]  # the loader wrote the end: its certainty is added
