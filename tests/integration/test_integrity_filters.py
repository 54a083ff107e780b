"""Filters mean what they say: a status, kind, country or topic filter keeps only the instruments that have
that value (never one whose value is unknown), an unknown code is 422 naming the known ones (read from the
RDF schemes), and "stalled for N years" needs a known signature date. The API, the CLI and the tracker share
the one list query; each is checked here, with an instrument that has no status."""

from __future__ import annotations

import csv
import json
import re
import uuid
from pathlib import Path

import pytest

from kg.services import agreements
from loaders.register import COLUMNS
from tests.integration.test_cli import run

PROBLEM = "application/problem+json"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def row(rid: str, **extra: str) -> dict[str, str]:
    """A register record of a test instrument (the same columns as data/register/agreements.csv)."""
    base = {c: "" for c in COLUMNS}
    base.update(
        id=rid,
        kind="technical_arrangement",
        title="Arrangement technique de test relatif à la coopération policière",
        partner_country="MA",
        confidentiality="public",
        source="https://example.org/test-source",
    )
    base.update(extra)
    return base


@pytest.fixture(scope="module")
def made(api) -> dict[str, str]:
    """Three public test instruments on the API's store: signed (with a date), no status, negotiating
    with no signature date."""
    ids = {"signed": new_id("TEST-FILTER-SIGNED"), "none": new_id("TEST-FILTER-NOSTATUS"),
           "undated": new_id("TEST-FILTER-UNDATED")}  # fmt: skip
    c = api.client("negotiator")
    for key, extra in {
        "signed": {"status": "signed", "signed_on": "2015-03-10"},
        "none": {},
        "undated": {"status": "negotiating"},
    }.items():
        body = {k: v for k, v in row(ids[key], **extra).items() if v}
        r = c.post("/agreements", json=body)
        assert r.status_code == 201, r.text
    return ids


def listed(api, role: str | None = None, **params) -> dict:
    r = api.client(role).get("/agreements", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_status_filter_keeps_only_instruments_with_that_status(api, made):
    everything = {i["id"]: i for i in listed(api)["items"]}
    assert everything[made["none"]]["status"] is None  # the instrument with no status is in the register
    signed = listed(api, status="signed")
    assert made["signed"] in {i["id"] for i in signed["items"]}
    assert {i["status"] for i in signed["items"]} == {"signed"}
    assert signed["total"] == len(signed["items"]) == sum(i["status"] == "signed" for i in everything.values())
    published = listed(api, status="published")["items"]  # the bundled register's publication decrees
    assert published and {i["status"] for i in published} == {"published"}
    for status in ("signed", "in_force", "published", "negotiating"):
        assert made["none"] not in {i["id"] for i in listed(api, status=status)["items"]}, status


def test_kind_country_and_topic_filters_keep_only_their_value(api, made):
    for params, key in (({"kind": "protocol"}, "kind"), ({"country": "ma"}, "partner_country")):
        items = listed(api, **params)["items"]
        assert items and {i[key] for i in items} == {next(iter(params.values())).upper()
                                                     if key == "partner_country" else "protocol"}  # fmt: skip
    topic = listed(api, topic="internal-security")["items"]
    assert topic and all("internal-security" in agreements.show(api.store, i["id"])["topics"] for i in topic)
    assert made["none"] not in {i["id"] for i in topic}
    # a known country no instrument names: an empty list, not an error
    assert listed(api, country="NZ") == {"items": [], "total": 0, "limit": 50, "offset": 0}


@pytest.mark.parametrize(
    ("params", "named", "known"),
    [
        ({"status": "bogus"}, "unknown status 'bogus'", ["signed", "in_force", "negotiating"]),
        ({"kind": "treaty"}, "unknown kind 'treaty'", ["agreement", "technical_arrangement", "protocol"]),
        ({"topic": "nope"}, "unknown topic 'nope'", ["internal-security"]),
        ({"country": "zz"}, "unknown country 'ZZ'", ["AE", "MA", "FR"]),
        ({"status": "signed", "country": "QQ"}, "unknown country 'QQ'", ["AE"]),
    ],
)
def test_an_unknown_code_is_422_listing_the_known_ones(api, made, params, named, known):
    for role in (None, "negotiator"):
        r = api.client(role).get("/agreements", params=params)
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
        detail = r.json()["detail"]
        assert detail.startswith(named)
        codes = re.split(r",\s*", detail.split(": ", 1)[1])
        assert set(known) <= set(codes)


def test_known_codes_come_from_the_schemes(api):
    codes = agreements.filters.known_codes(api.store)
    statuses = api.store.select(
        "SELECT ?c WHERE { ?s <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/dci-kg/id/status> ;"
        " <https://w3id.org/dci-kg/ontology#code> ?c }"
    )
    assert set(codes["status"]) == {str(r["c"]) for r in statuses} and len(statuses) >= 10
    assert codes["status"].index("planned") < codes["status"].index("signed") < codes["status"].index("in_force")


def test_stalled_needs_a_known_signature_date(api, made):
    stalled = {i["id"]: i for i in listed(api, stalled_years=5)["items"]}
    assert made["signed"] in stalled
    assert made["undated"] not in stalled and made["none"] not in stalled
    assert all(i["signed_on"] for i in stalled.values())
    assert all(i["status"] not in ("in_force", "published") for i in stalled.values())
    # the service the CLI calls answers the same (the API adds no filtering of its own)
    assert listed(api, "negotiator", stalled_years=5) == agreements.list_instruments(
        api.store, stalled_years=5, include_restricted=True
    )


# -- the tracker (same query) -----------------------------------------------------------------------------


def tracker_rows(html: str) -> dict[str, str]:
    """Row id -> the status code shown in the tracker table."""
    found = re.findall(r'<tr data-id="([^"]+)">.*?<span class="status" data-status="([^"]*)"', html, re.S)
    return dict(found)


def test_the_tracker_status_filter_shows_only_that_status(api, made):
    r = api.client().get("/tracker", params={"status": "signed"})
    assert r.status_code == 200
    rows = tracker_rows(r.text)
    assert made["signed"] in rows and set(rows.values()) == {"signed"}
    assert made["none"] in tracker_rows(api.client().get("/tracker", params={"country": "MA"}).text)


def test_the_tracker_refuses_an_unknown_code_naming_it(api, made):
    r = api.client().get("/tracker", params={"status": "bogus", "lang": "en"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "unknown status &#39;bogus&#39;; known statuses: planned" in r.text
    assert tracker_rows(r.text) == {}
    assert 'id="f-status"' in r.text  # the filter form is still there to correct the choice


# -- the CLI (same query) ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("cli-filters")
    store = tmp / "store"
    run("init", store=store)
    ids = {"signed": new_id("TEST-CLI-SIGNED"), "none": new_id("TEST-CLI-NOSTATUS")}
    register = tmp / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(row(ids["signed"], status="signed", signed_on="2016-05-02"))
        w.writerow(row(ids["none"]))
    run("agreements", "import", str(register), store=store)
    return store, ids


def test_the_cli_status_filter_lists_only_that_status(cli_store):
    store, ids = cli_store
    everything = json.loads(run("agreements", "list", "--json", store=store).stdout)["items"]
    assert ids["none"] in {i["id"] for i in everything}
    signed = json.loads(run("agreements", "list", "--status", "signed", "--json", store=store).stdout)
    assert [i["id"] for i in signed["items"]] == [ids["signed"]] and signed["total"] == 1


def test_the_cli_refuses_an_unknown_code(cli_store):
    store, _ids = cli_store
    proc = run("agreements", "list", "--status", "bogus", store=store, check=False)
    assert proc.returncode == 2
    assert "unknown status 'bogus'; known statuses: planned" in proc.stderr.replace("\n", "")
