"""One answer = one case file (contract v2 of `ask --json` and `GET /competence`): the founding items ranked, the
chapeau, the décret and the embassy page in their `also`, the unit of the directorate in `handled_by`, the
service covering a named country in `abroad` (with its source), the instruments with it in `instruments` (the
restricted ones for a cleared caller only), and `ambiguous_with` when two items score within the margin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from api.models import Competence
from kg.services.competence import Index, build_index, instruments_lookup, resolve
from kg.store import Store
from tests.integration.test_api_agreements import new_id, record
from tests.integration.test_cli import run
from vocab.namespaces import ID

LITHUANIA = "Quel service de l'ambassade couvre la Lituanie ?"
FIREFIGHTERS = "Qui organise la formation des sapeurs-pompiers au Liban ?"
LB_AGREEMENT = "LB-2010-01-21-agreement"
ART4 = f"{ID}text/INTA1319065A/art/4/para/2"
ITEM_E = f"{ID}text/INTA1319065A/art/1/item/e"


@pytest.fixture(scope="module")
def index(built_store: Store) -> Index:
    return build_index(built_store)


def ask(store: Store, index: Index, q: str, at: dt.date, limit: int = 5) -> dict:
    return resolve(index, q, at, limit, instruments=instruments_lookup(store, index, cleared=True))


def test_the_cli_names_ssi_riga_for_lithuania_with_its_source(tmp_path) -> None:
    run("init", store=tmp_path)
    out = json.loads(run("ask", LITHUANIA, "--at", "2013-01-01", "--json", store=tmp_path).stdout)
    Competence.model_validate(out)  # the OpenAPI model of GET /competence is the CLI's JSON
    for abroad in [out["abroad"], *(a["abroad"] for a in out["answers"])]:
        riga = [c for c in abroad if c["service"]["iri"] == f"{ID}org/SSI-RIGA"]
        assert riga, abroad
        assert riga[0]["country"]["code"] == "LT" and riga[0]["coverage"] == f"{ID}coverage/SSI-RIGA--LT"
        assert (riga[0]["valid_from"], riga[0]["valid_to"]) == ("1992", "2015")
        assert "https://ee.ambafrance.org/La-cooperation-dans-le-domaine-de" in riga[0]["sources"]
    # in 2023 the Riga SSI no longer covers Lithuania: Vilnius does (from 2022-05)
    later = json.loads(run("ask", LITHUANIA, "--at", "2023-01-01", "--json", store=tmp_path).stdout)
    assert {c["service"]["iri"] for c in later["abroad"]} == {f"{ID}org/SSI-VILNIUS"}
    text = run("ask", LITHUANIA, "--at", "2013-01-01", store=tmp_path).stdout
    assert "À l'étranger" in text and "Riga" in text


def test_lebanese_firefighters_have_the_agreement_and_the_sub_directorate_of_article_4(
    built_store: Store, index: Index
) -> None:
    answer = ask(built_store, index, FIREFIGHTERS, dt.date(2014, 6, 1))
    civil = [a for a in answer["answers"] if a["mandate"]["iri"] == ITEM_E]
    assert civil, [a["mandate"]["iri"] for a in answer["answers"]]
    e = civil[0]
    lb = [i for i in e["instruments"] if i["id"] == LB_AGREEMENT]
    assert lb and lb[0]["kind"] == "agreement"
    # its status on the date: signed on 2010-01-21 (the approval still pending has no date in the register)
    assert lb[0]["status"] == {"code": "signed", "label": "signé", "since": "2010-01-21"}
    assert lb[0]["current_status"]["code"] == "approval_pending"
    assert [h["mandate"]["iri"] for h in e["handled_by"]] == [ART4]
    assert e["handled_by"][0]["unit"]["acronym"] == "SDCSG"
    # the 1993 protocol has no topic that matches: it is not in the case file
    assert all(i["id"] != "LB-1993-10-14-protocol" for a in answer["answers"] for i in a["instruments"])
    # before the agreement was signed it is not there
    before = ask(built_store, index, FIREFIGHTERS, dt.date(2009, 6, 1))
    assert all(i["id"] != LB_AGREEMENT for a in before["answers"] for i in a["instruments"])


@pytest.mark.parametrize(
    "question",
    [
        "Qui organise la formation des sapeurs-pompiers des villes libanaises ?",  # a feminine plural
        "Who organises training for Lebanese firefighters?",
    ],
)
def test_a_country_named_by_its_demonym_is_the_country(built_store: Store, index: Index, question: str) -> None:
    answer = ask(built_store, index, question, dt.date(2014, 6, 1))
    assert answer["answers"][0]["mandate"]["iri"] == ITEM_E
    assert any(i["id"] == LB_AGREEMENT for i in answer["answers"][0]["instruments"])


def test_a_demonym_finds_the_service_covering_the_country(index: Index) -> None:
    question = "Une équipe ukrainienne et des policiers lituaniens : quel SSI les suit ?"
    answer = resolve(index, question, dt.date(2013, 1, 1))
    assert f"{ID}org/SSI-RIGA" in {c["service"]["iri"] for c in answer["abroad"]}
    # France's own demonym names the ministry's side, not a partner country
    french = resolve(index, "Des policiers français forment des policiers lituaniens", dt.date(2013, 1, 1))
    assert {c["country"]["code"] for c in french["abroad"]} == {"LT"}


def test_answers_rank_the_founding_items_and_nest_the_chapeau_and_the_decree(built_store: Store, index: Index) -> None:
    answer = ask(built_store, index, FIREFIGHTERS, dt.date(2014, 6, 1))
    assert {a["kind"] for a in answer["answers"]} == {"item"}
    nested = {x["iri"]: x["kind"] for a in answer["answers"] for x in a["also"]}
    assert nested.get(f"{ID}text/INTA1319026D/art/23/item/2") == "general"  # décret art. 23 2°
    assert nested.get(f"{ID}text/INTA1319065A/art/1/para/2") == "chapeau"
    ranked = {a["mandate"]["iri"] for a in answer["answers"]}
    assert not ranked & nested.keys() and ART4 not in ranked  # the sub-directorate's article: in handled_by
    # the scores are the ranker's: an item's `also` keeps theirs, and the answers stay in score order
    scores = [a["score"] for a in answer["answers"]]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(x["score"], float) for a in answer["answers"] for x in a["also"])


def test_two_items_the_ranking_cannot_tell_apart_name_each_other(index: Index) -> None:
    """"La coopération technique du ministère": items f) (DGEF) and g) (DSCR) score the same."""
    answer = resolve(index, "Qui anime la coopération technique du ministère ?", dt.date(2014, 6, 1), 5)
    f, g = answer["answers"][0], answer["answers"][1]
    assert {f["mandate"]["letter"], g["mandate"]["letter"]} == {"f", "g"}
    assert [(o["article"], o["letter"]) for o in f["ambiguous_with"]] == [("1", g["mandate"]["letter"])]
    assert [o["iri"] for o in g["ambiguous_with"]] == [f["mandate"]["iri"]]
    assert all(not a["ambiguous_with"] for a in answer["answers"][2:])


def test_the_exclusion_comes_first_with_an_empty_case_file(index: Index) -> None:
    answer = resolve(index, "La DGSE nous demande d'infiltrer un réseau d'espionnage", dt.date(2020, 1, 1))
    top = answer["answers"][0]
    assert top["role"] == "excluded" and top["kind"] == "exclusion"
    assert top["also"] == top["handled_by"] == top["instruments"] == top["ambiguous_with"] == []


def test_items_within_the_margin_name_each_other(index: Index) -> None:
    q, at = "Qui négocie les arrangements techniques pour la gendarmerie ?", dt.date(2020, 1, 1)
    wide = dataclasses.replace(index, casedata=dataclasses.replace(index.casedata, margin=0.99))
    answer = resolve(wide, q, at, 5)
    items = [a for a in answer["answers"] if a["kind"] == "item"]
    assert len(items) >= 2
    top, other = items[0], items[1]
    named = {o["iri"] for o in top["ambiguous_with"]}
    assert other["mandate"]["iri"] in named and top["mandate"]["iri"] in {o["iri"] for o in other["ambiguous_with"]}
    ref = next(o for o in top["ambiguous_with"] if o["iri"] == other["mandate"]["iri"])
    assert (ref["article"], ref["letter"], ref["role"]) == (
        other["mandate"]["article"],
        other["mandate"]["letter"],
        other["role"],
    )
    assert [b["acronym"] for b in ref["beneficiaries"]] == [b["acronym"] for b in other["beneficiaries"]]
    # with the measured margin, item k is well ahead: no ambiguity claimed
    assert resolve(index, q, at, 5)["answers"][0]["ambiguous_with"] == []
    narrow = dataclasses.replace(index, casedata=dataclasses.replace(index.casedata, margin=0.0))
    for a in resolve(narrow, q, at, 5)["answers"]:  # no margin: only exact ties
        assert all(o["score"] == a["score"] for o in a["ambiguous_with"])


def test_get_competence_over_http_carries_the_case_file_and_hides_restricted_instruments(api) -> None:
    params = {"q": FIREFIGHTERS, "at": "2014-06-01"}
    secret = new_id("TEST-CASEFILE-LB")
    body = record(secret, kind="agreement", partner_country="LB", confidentiality="restricted",
                  title="Accord de test relatif à la sécurité civile", topics=["civil-security"])  # fmt: skip
    assert api.client("negotiator").post("/agreements", json=body).status_code == 201

    def ids(client) -> set[str]:
        r = client.get("/competence", params=params)
        assert r.status_code == 200, r.text
        Competence.model_validate(r.json())
        e = next(a for a in r.json()["answers"] if a["mandate"]["iri"] == ITEM_E)
        assert [h["mandate"]["iri"] for h in e["handled_by"]] == [ART4]
        return {i["id"] for i in e["instruments"]}

    anonymous, cleared = ids(api.client()), ids(api.client("negotiator"))
    assert LB_AGREEMENT in anonymous and secret not in anonymous
    assert {LB_AGREEMENT, secret} <= cleared
    assert ids(api.client()) == anonymous  # the answer cache keeps the caller's clearance apart
    schema = api.client().get("/openapi.json").json()["components"]["schemas"]
    assert {"also", "handled_by", "abroad", "instruments", "ambiguous_with"} <= set(
        schema["CompetenceAnswer"]["properties"]
    )


def test_a_country_with_many_instruments_lists_the_latest_and_counts_them_all(api) -> None:
    """The card lists DCIKG_COMPETENCE_INSTRUMENTS_SHOWN (10) instruments, the latest dated status first,
    counts every match in `instruments_total` and the web card links the tracker for the rest."""
    q = "Qui organise la formation des sapeurs-pompiers en Uruguay ?"
    negotiator = api.client("negotiator")
    signed = {}
    for year in range(2000, 2016):  # 16 signed instruments, one a year; 15 of them by the date asked
        rid = new_id("TEST-MANY-UY")
        body = record(rid, kind="agreement", partner_country="UY", status="signed", signed_on=f"{year}-03-01",
                      title="Accord de test relatif à la sécurité civile", topics=["civil-security"])  # fmt: skip
        assert negotiator.post("/agreements", json=body).status_code == 201, rid
        signed[rid] = f"{year}-03-01"
    r = api.client().get("/competence", params={"q": q, "at": "2014-06-01"})
    assert r.status_code == 200, r.text
    answer = Competence.model_validate(r.json()).model_dump()
    assert [c["code"] for c in answer["countries"]] == ["UY"]
    e = next(a for a in answer["answers"] if a["mandate"]["iri"] == ITEM_E)
    by_date = sorted((d for d in signed.values() if d <= "2014-06-01"), reverse=True)
    assert e["instruments_total"] == len(by_date) == 15
    assert [i["status"]["since"] for i in e["instruments"]] == by_date[:10]
    assert {i["id"] for i in e["instruments"]} <= set(signed)
    page = api.client().get("/", params={"q": q, "at": "2014-06-01"})
    assert page.status_code == 200
    assert "10 sur 15" in page.text and "/tracker?country=UY" in page.text
    # the tracker the card links lists them all
    rows = api.client().get("/agreements", params={"country": "UY", "limit": 100}).json()
    assert set(signed) <= {i["id"] for i in rows["items"]}
