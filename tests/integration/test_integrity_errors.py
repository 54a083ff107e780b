"""Errors mapped on purpose: what the caller got wrong is 4xx naming it, our own bugs (a broken bundled query,
an unexpected exception) are 500 with a log line, never dressed as 400 or 409. A caller's own SPARQL on /sparql
stays 400."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI

from api import problems
from kg import queries
from kg.store import EmbeddedStore
from tests.conftest import serve

PROBLEM = "application/problem+json"


def new_id() -> str:
    return f"TEST-ERRORS-{uuid.uuid4().hex[:8]}"


def create(api, rid: str, **extra) -> None:
    body = {
        "id": rid,
        "kind": "technical_arrangement",
        "title": "Arrangement technique de test relatif à la coopération policière",
        "partner_country": "MA",
        "status": "negotiating",
        "source": ["https://example.org/test-source"],
        **extra,
    }
    r = api.client("negotiator").post("/agreements", json=body)
    assert r.status_code == 201, r.text


# -- our bugs: 500 and a log line -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def buggy(tmp_path_factory) -> str:
    """An app with the API's problem handlers and two routes with our own bugs: a bundled-style .rq that
    the store refuses, and an unexpected ValueError."""
    rq = tmp_path_factory.mktemp("queries") / "broken.rq"
    rq.write_text("# a bundled query with a typo\nSELEC ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    store = EmbeddedStore(None)
    app = FastAPI()
    problems.install(app)

    @app.get("/broken-query")
    def broken_query() -> list:
        return store.select(queries.load("broken", Path(rq.parent)).text)

    @app.get("/unexpected")
    def unexpected() -> None:
        raise ValueError("a bug of ours")

    @app.get("/health")
    def health() -> dict:
        return {}

    with serve(app) as url:
        yield url


@pytest.mark.parametrize(("path", "logged"), [("/broken-query", "a query of the application failed"),
                                              ("/unexpected", "unhandled error")])  # fmt: skip
def test_our_bugs_are_500_with_a_log_line(buggy, caplog, path, logged):
    with caplog.at_level(logging.ERROR, logger="dci-kg.api"):
        r = httpx.get(buggy + path)
    assert r.status_code == 500 and r.headers["content-type"].startswith(PROBLEM)
    assert "this is a bug" in r.json()["detail"]
    assert any(logged in rec.getMessage() and path in rec.getMessage() for rec in caplog.records)


def test_a_callers_own_bad_sparql_stays_400(api):
    r = api.client().get("/sparql", params={"query": "SELEC ?s WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and r.headers["content-type"].startswith(PROBLEM)


# -- caller errors: 4xx naming the problem ----------------------------------------------------------------


def test_a_source_that_is_not_an_iri_is_422_not_500(api):
    rid = new_id()
    create(api, rid)
    r = api.client("negotiator").post(
        f"/agreements/{rid}/transitions", json={"to": "signed", "date": "2024-02-01", "source": "https://bad iri"}
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
    assert "'https://bad iri' is not a valid IRI" in r.json()["detail"]
    assert api.client().get(f"/agreements/{rid}").json()["status"] == "negotiating"  # nothing written


def post_form(api, rid: str, **fields: str) -> httpx.Response:
    body = urlencode({"token": api.tokens["negotiator"], **fields})
    return api.client().post(
        f"/tracker/{rid}/transition?lang=en",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def test_the_tracker_form_maps_each_refusal_on_purpose(api):
    rid = new_id()
    create(api, rid, status="signed", signed_on="2020-05-01")
    cases = [
        # the life-cycle says no, in the page's language and with the statuses' labels
        ({"status": "published", "date": "2021-01-01"}, 409, "the life-cycle does not allow a move from “signed”"),
        ({"status": "bogus", "date": "2021-01-01"}, 422, "unknown status 'bogus'"),
        ({"status": "approval_pending", "date": "2021-01-01", "source": "https://bad iri"}, 422, "not a valid IRI"),
        # the shapes say no: entry into force before the signature
        ({"status": "in_force", "date": "2019-01-01"}, 422, "dates are not ordered"),
        ({"status": "in_force", "date": "not-a-date"}, 422, "Not a date"),
    ]
    for fields, code, text in cases:
        r = post_form(api, rid, **fields)
        assert r.status_code == code, (fields, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        assert text in r.text.replace("&#39;", "'"), fields
    assert api.client().get(f"/agreements/{rid}/history").json()[-1]["to"] == "signed"  # nothing was written
    ok = post_form(api, rid, status="in_force", date="2021-01-01")
    assert ok.status_code == 303
