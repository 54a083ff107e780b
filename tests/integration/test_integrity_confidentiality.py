"""Confidentiality is a rule, not a convention: a public instrument cannot be based on (or point to) a
restricted one, so no restricted IRI is reachable anonymously; and every service reading agreements hides
restricted instruments unless told otherwise (forgetting the flag hides, it never leaks)."""

from __future__ import annotations

import pytest

from kg import gate
from kg.services import agreements
from tests.integration.test_api_agreements import new_id, record
from vocab.namespaces import AGREEMENTS_RESTRICTED_GRAPH

PROBLEM = "application/problem+json"
REFUSED = "cannot be based on, or point to, a restricted instrument"
INSTRUMENT = "https://w3id.org/dci-kg/id/instrument/"




def agreement(rid: str, confidentiality: str) -> dict:
    return record(rid, kind="agreement", title="Accord de test relatif à la sécurité intérieure",
                  confidentiality=confidentiality)  # fmt: skip


def create(api, body: dict):
    return api.client("negotiator").post("/agreements", json=body)


def anonymous_ask(api, query: str) -> bool:
    r = api.client().get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_a_public_child_of_a_restricted_agreement_is_refused(api):
    parent, child = new_id("TEST-CONF-PARENT"), new_id("TEST-CONF-CHILD")
    assert create(api, agreement(parent, "restricted")).status_code == 201
    r = create(api, record(child, parent_id=parent))
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
    found = r.json()["violations"]
    assert any(REFUSED in v and child in v and parent in v for v in found), found
    # nothing was written, and the parent stays invisible to everyone not cleared
    assert api.client("negotiator").get(f"/agreements/{child}").status_code == 404
    iri = INSTRUMENT + parent
    assert anonymous_ask(api, f"ASK {{ {{ ?s ?p <{iri}> }} UNION {{ <{iri}> ?p ?o }} }}") is False
    for path in (f"/id/instrument/{parent}", f"/agreements/{parent}"):
        assert api.client().get(path).status_code == 404, path
        assert api.client("reader").get(path).status_code == 404, path


def test_a_restricted_child_of_a_restricted_agreement_and_a_public_child_of_a_public_one_pass(api):
    secret, open_ = new_id("TEST-CONF-SECRET"), new_id("TEST-CONF-OPEN")
    assert create(api, agreement(secret, "restricted")).status_code == 201
    assert create(api, agreement(open_, "public")).status_code == 201
    hidden = create(api, record(new_id("TEST-CONF-HIDDEN"), parent_id=secret, confidentiality="restricted"))
    assert hidden.status_code == 201, hidden.text
    shown = create(api, record(new_id("TEST-CONF-SHOWN"), parent_id=open_))
    assert shown.status_code == 201 and shown.json()["parent_id"] == open_
    under_public = create(api, record(new_id("TEST-CONF-UNDER"), parent_id=open_, confidentiality="restricted"))
    assert under_public.status_code == 201, under_public.text


def test_no_restricted_iri_is_reachable_anonymously(api):
    """Over everything the session's tests wrote: no restricted instrument is named in a public graph."""
    test_a_public_child_of_a_restricted_agreement_is_refused(api)
    restricted = api.store.select(
        f"SELECT DISTINCT ?i WHERE {{ GRAPH <{AGREEMENTS_RESTRICTED_GRAPH}> {{ ?i a ?c }} }}"
    )
    assert restricted
    for r in restricted:
        iri = str(r["i"])
        assert anonymous_ask(api, f"ASK {{ {{ ?s ?p <{iri}> }} UNION {{ <{iri}> ?p ?o }} }}") is False, iri
        assert api.client().get("/id/" + iri.removeprefix("https://w3id.org/dci-kg/id/")).status_code == 404, iri


# -- the services hide unless told otherwise ----------------------------------------------------------------


@pytest.fixture
def with_secret(fresh_store):
    rid = "TEST-CONF-SECRET-agreement"
    agreements.import_rows(
        fresh_store,
        [{k: ";".join(v) if isinstance(v, list) else v for k, v in agreement(rid, "restricted").items()}],
        source="test",
    )
    return fresh_store, rid


def test_every_reading_service_hides_restricted_instruments_by_default(with_secret):
    store, rid = with_secret
    assert rid not in {i["id"] for i in agreements.list_instruments(store)["items"]}
    assert rid in {i["id"] for i in agreements.list_instruments(store, include_restricted=True)["items"]}
    for read in (agreements.show, agreements.version):
        with pytest.raises(agreements.NotFound):
            read(store, rid)
        assert read(store, rid, include_restricted=True)
    with pytest.raises(agreements.NotFound):
        agreements.history(store, rid, check=True)
    assert agreements.history(store, rid) == []
    assert agreements.history(store, rid, include_restricted=True)[0]["to"] == "negotiating"
    assert rid not in {r["id"] for r in agreements.export_rows(store)}
    assert rid in {r["id"] for r in agreements.export_rows(store, include_restricted=True)}
    assert rid not in agreements.export_turtle(store)
    assert rid in agreements.export_turtle(store, include_restricted=True)


def test_the_service_refuses_a_public_child_of_a_restricted_parent(with_secret):
    store, rid = with_secret
    before = set(store.quads())
    row = {k: ";".join(v) if isinstance(v, list) else v for k, v in record("TEST-CONF-CHILD", parent_id=rid).items()}
    with pytest.raises(gate.WriteRejected, match=REFUSED):
        agreements.import_rows(store, [row], source="test")
    assert set(store.quads()) == before
