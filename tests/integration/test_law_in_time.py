"""The law as it stood on the day: successor texts known from their metadata only, the end they give the
text they replace, answers marked `superseded_by`, dated names of organisations, units whose state is
unknown after the text that set them up ended, and the shapes of these facts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg import gate
from kg.services import competence, directory
from kg.services.competence import Index, build_index, resolve
from kg.services.timeline import day
from kg.store import EmbeddedStore
from tests.integration.test_cli import run
from tests.unit.gate.test_shapes import graph_of

QUESTION = "Qui négocie les arrangements techniques pour la gendarmerie ?"
TEXT = "https://w3id.org/dci-kg/id/text/"
ORG = "https://w3id.org/dci-kg/id/org/"


@pytest.fixture(scope="module")
def index(built_store: EmbeddedStore) -> Index:
    return build_index(built_store)


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store")
    run("init", store=path)
    return path


def _ask(store: Path, *extra: str) -> dict:
    return json.loads(run("ask", QUESTION, "--json", *extra, store=store).stdout)["answers"][0]


# -- `dci-kg ask --json`: the three dates of the issue ------------------------------------------------------
def test_asked_today_the_2013_item_k_answers_marked_superseded_by_the_2021_arrete(cli_store: Path) -> None:
    top = _ask(cli_store)
    text = top["mandate"]["legal_text"]
    assert (text["nor"], top["mandate"]["letter"]) == ("INTA1319065A", "k")
    assert text["in_force_to"] == "2021-07-31"
    successor = text["superseded_by"]
    assert successor["iri"] == TEXT + "ARRETE-2021-07-15-DCIS"
    assert successor["title"].startswith("Arrêté du 15 juillet 2021")
    assert successor["jorf"] == "JORF n°0164 du 17 juillet 2021"
    assert successor["in_force_from"] == "2021-08-01"
    assert successor["text_held"] is False
    assert successor["certainty"] == "probable"
    assert top["holder"]["acronym"] == "DCIS"  # the name in force today


def test_asked_in_2015_the_same_item_answers_with_no_warning(cli_store: Path) -> None:
    top = _ask(cli_store, "--at", "2015-06-01")
    assert (top["mandate"]["legal_text"]["nor"], top["mandate"]["letter"]) == ("INTA1319065A", "k")
    assert "superseded_by" not in top["mandate"]["legal_text"]
    assert top["holder"]["acronym"] == "DCI"


def test_asked_in_2011_the_2010_item_f_answers(cli_store: Path) -> None:
    top = _ask(cli_store, "--at", "2011-06-01")
    assert (top["mandate"]["legal_text"]["nor"], top["mandate"]["letter"]) == ("IOCC1018202A", "f")
    assert top["mandate"]["legal_text"]["in_force_to"] == "2013-10-01"
    assert "superseded_by" not in top["mandate"]["legal_text"]


def test_the_plain_cli_answer_says_the_text_was_replaced(cli_store: Path) -> None:
    out = " ".join(run("ask", QUESTION, "--at", "2026-01-01", "--limit", "1", store=cli_store).stdout.split())
    assert "remplacé le 2021-08-01" in out and "texte non disponible" in out and "probable" in out


# -- the resolver --------------------------------------------------------------------------------------------
def test_the_2010_text_does_not_answer_once_a_held_text_replaced_it(index: Index) -> None:
    answer = resolve(index, QUESTION, dt.date(2026, 1, 1), limit=10)
    assert all(a["mandate"]["legal_text"]["nor"] != "IOCC1018202A" for a in answer["answers"])


def test_the_amended_decree_article_23_is_flagged_with_what_is_known(index: Index) -> None:
    q = "coopération technique en matière d'immigration et d'asile"
    answers = resolve(index, q, dt.date(2026, 1, 1), limit=5)["answers"]
    later = [a["mandate"] for a in answers] + [x for a in answers for x in a.get("also", [])]  # or in a case file
    decree = [m for m in later if m["legal_text"]["nor"] == "INTA1319026D"]
    assert decree, "article 23 of the décret still answers (its amended wording is not held)"
    successor = decree[0]["legal_text"]["superseded_by"]
    assert successor["in_force_from"] is None and successor["in_force_by"] == "2021-07-15"
    assert successor["text_held"] is False and successor["certainty"] == "probable"
    assert decree[0]["legal_text"]["in_force_to"] is None  # the date of the amendment is unknown
    earlier = resolve(index, q, dt.date(2020, 1, 1), limit=5)["answers"]
    earlier_all = [a["mandate"] for a in earlier] + [x for a in earlier for x in a.get("also", [])]
    assert all("superseded_by" not in m["legal_text"] for m in earlier_all)


def test_the_road_safety_delegation_is_named_as_on_the_day(index: Index) -> None:
    def dscr(at: dt.date) -> str:
        top = resolve(index, QUESTION, at)["answers"][0]
        return next(b["acronym"] for b in top["beneficiaries"] if b["iri"] == ORG + "DSCR")

    assert dscr(dt.date(2015, 6, 1)) == "DSCR"
    assert dscr(dt.date(2022, 1, 1)) == "DSR"


def test_the_end_of_a_replaced_text_is_data_in_the_store(built_store: EmbeddedStore) -> None:
    rows = built_store.select(
        "SELECT ?to WHERE { <https://w3id.org/dci-kg/id/text/INTA1319065A> "
        "<http://data.europa.eu/eli/ontology#date_no_longer_in_force> ?to }"
    )
    assert [str(r["to"]) for r in rows] == ["2021-07-31"]


def test_partial_dates_are_periods() -> None:
    assert day("2015") == dt.date(2015, 1, 1) and day("2015", last=True) == dt.date(2015, 12, 31)
    assert day("2022-05", last=True) == dt.date(2022, 5, 31) and day("2022-12", last=True) == dt.date(2022, 12, 31)
    assert day("2021-08-01") == dt.date(2021, 8, 1) and day(None) is None and day("soon") is None


# -- the organisation on a date ------------------------------------------------------------------------------
def test_the_organisation_today_shows_dcis_and_only_what_is_known(built_store: EmbeddedStore, index: Index) -> None:
    chart = directory.chart(built_store, index, "DCI", dt.date(2026, 1, 1))
    assert chart["root"]["acronym"] == "DCIS"
    assert chart["root"]["label"] == "direction de la coopération internationale de sécurité"
    assert chart["name"]["valid_from"] == "2021-08-01" and chart["name"]["certainty"] == "probable"
    assert [u["iri"] for u in chart["units"]] == [ORG + "DCIS-EM", ORG + "DCIS-SDEUROPE"]  # facts.md §3.2
    assert {u["certainty"] for u in chart["units"]} == {"probable"}
    unknown = {u["organisation"]["iri"] for u in chart["units_unknown"]}
    assert {ORG + "SDCSG", ORG + "SDCMP", ORG + "SDAF", ORG + "CVO"} <= unknown
    assert ORG + "SSI-RIGA" not in unknown | {u["iri"] for u in chart["units"]}  # ended in 2015
    assert all(u["stated_by"] == TEXT + "INTA1319065A" for u in chart["units_unknown"])
    assert {t["iri"] for t in chart["superseded_texts"]} >= {TEXT + "INTA1319065A"}
    drawn = {m["iri"] for e in chart["mandate_edges"] for m in e["mandates"]}
    assert not any(i.startswith(TEXT + "INTA1319065A/") for i in drawn)


def test_the_organisation_in_2014_has_the_2013_structure(built_store: EmbeddedStore, index: Index) -> None:
    chart = directory.chart(built_store, index, "DCI", dt.date(2014, 1, 1))
    assert chart["root"]["acronym"] == "DCI"
    units = {u["iri"] for u in chart["units"]}
    assert {ORG + "SDCSG", ORG + "SDCMP", ORG + "SDAF", ORG + "SSI-RIGA"} <= units
    assert ORG + "DCIS-EM" not in units and ORG + "DCIS-SDEUROPE" not in units
    assert chart["units_unknown"] == [] and chart["superseded_texts"] == []


def test_the_directorate_endpoint_gives_the_dated_name_and_the_unknown_units(api) -> None:
    body = api.client().get("/directorates/DCI", params={"at": "2026-01-01"}).json()
    assert body["acronym"] == "DCIS" and body["name"]["acronym"] == "DCIS"
    assert body["name"]["certainty"] == "probable"
    assert ORG + "SDCSG" in {u["organisation"]["iri"] for u in body["units_unknown"]}
    assert ORG + "SDCSG" not in {u["organisation"]["iri"] for u in body["units"]}
    old = api.client().get("/directorates/DCI", params={"at": "2014-01-01"}).json()
    assert old["acronym"] == "DCI" and old["units_unknown"] == []


def test_competence_endpoint_is_the_json_of_ask_with_superseded_by(api, built_store: EmbeddedStore) -> None:
    answers = {}
    for at in ("2026-01-01", "2015-06-01"):
        r = api.client().get("/competence", params={"q": QUESTION, "at": at, "limit": 3})
        expected = competence.resolve(build_index(built_store), QUESTION, dt.date.fromisoformat(at), 3)
        assert r.json() == expected
        answers[at] = r.json()["answers"][0]["mandate"]["legal_text"]
    assert answers["2026-01-01"]["superseded_by"]["text_held"] is False
    assert "superseded_by" not in answers["2015-06-01"]


# -- shapes --------------------------------------------------------------------------------------------------
META = (
    'id:text/N a dci:LegalText ; eli:title "n"@fr ; dct:source "s" ; dci:key "N" ; dci:certainty id:certainty/certain ;'
    ' eli:first_date_entry_in_force "2021-08-01"^^xsd:date ; dci:replaces id:text/T .'
)
NAME = (
    'id:name/1 a dci:OrganisationName ; dci:nameOf id:org/A ; skos:prefLabel "a"@fr , "a"@en ; dct:source "s" ;'
    " dci:certainty id:certainty/certain ; "
)


@pytest.mark.parametrize(
    ("valid", "invalid", "words"),
    [
        (META, META.replace("dci:certainty id:certainty/certain ;", ""), "metadata only needs a dci:key, a certainty"),
        (
            META,
            META.replace("id:text/T .", "id:org/A ."),
            "dci:replaces names a legal text",
        ),
        (
            'id:text/H a dci:LegalText ; eli:title "h"@fr ; dct:source "s" ; dci:nor "TEST0000002A" ;'
            ' eli:date_document "2010-01-01"^^xsd:date . id:text/H/art/1 a dci:Article ; eli:is_part_of id:text/H ;'
            ' eli:number "1" ; dci:text "x" .',
            'id:text/H a dci:LegalText ; eli:title "h"@fr ; dct:source "s" ; dci:key "H" .'
            ' id:text/H/art/1 a dci:Article ; eli:is_part_of id:text/H ;'
            ' eli:number "1" ; dci:text "x" .',
            "articles are held needs its document date",
        ),
        (NAME + 'dci:validFrom "2021-08-01"^^xsd:date .', NAME.rstrip("; ") + " .", "needs a start"),
        (
            NAME + 'dci:attestedOn "2021-07-15"^^xsd:date .',
            NAME.replace(" dci:certainty id:certainty/certain ; ", " ") + 'dci:attestedOn "2021-07-15"^^xsd:date .',
            "dated name needs its certainty",
        ),
    ],
    ids=["metadata-only certainty", "replaces a text", "held text date", "name start", "name certainty"],
)
def test_shapes_of_dated_facts(valid: str, invalid: str, words: str) -> None:
    gate.check(graph_of(valid))
    with pytest.raises(gate.WriteRejected) as exc:
        gate.check(graph_of(invalid))
    assert any(words in v.message for v in exc.value.violations), [v.message for v in exc.value.violations]
