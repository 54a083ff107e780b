"""The agreements endpoints on a real uvicorn, on both backends: the register, one instrument, history,
create, transitions and register imports with ETag / If-Match, and restricted instruments hidden from
readers in REST and SPARQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid

import pytest

from kg.services import agreements

PROBLEM = "application/problem+json"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
AE = "AE-2009-05-26-agreement"


def new_id(prefix: str = "TEST-API") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def record(rid: str, **extra) -> dict:
    return {
        "id": rid,
        "kind": "technical_arrangement",
        "title": "Arrangement technique de test relatif à la coopération policière",
        "partner_country": "MA",
        "status": "negotiating",
        "confidentiality": "public",
        "source": ["https://example.org/test-source"],
        **extra,
    }


def count(client) -> int:
    r = client.get("/sparql", params={"query": COUNT_ALL})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def ask(client, query: str) -> bool:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def create(api, rid: str, **extra) -> str:
    r = api.client("negotiator").post("/agreements", json=record(rid, **extra))
    assert r.status_code == 201, r.text
    return r.headers["etag"]


# -- reading ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_lists(tmp_path_factory) -> dict[str, dict]:
    """`dci-kg agreements list --json` on a store built by `dci-kg init`, run as a command."""
    store = tmp_path_factory.mktemp("cli-agreements") / "store"
    cli = [sys.executable, "-m", "cli.main"]
    subprocess.run([*cli, "init", "--store", str(store)], capture_output=True, check=True)
    out = {}
    for name, args in {"AE": ["--country", "AE"], "published": ["--status", "published"]}.items():
        done = subprocess.run(
            [*cli, "agreements", "list", *args, "--json", "--store", str(store)],
            capture_output=True,
            text=True,
            check=True,
        )
        out[name] = json.loads(done.stdout)
    return out


def test_list_is_exactly_the_json_of_the_cli(api, cli_lists):
    assert api.client().get("/agreements", params={"country": "AE"}).json() == cli_lists["AE"]
    assert api.client().get("/agreements", params={"country": "ae"}).json() == cli_lists["AE"]
    assert api.client().get("/agreements", params={"status": "published"}).json() == cli_lists["published"]
    # unfiltered, for a cleared role: the same as the service the CLI calls, on the same store
    whole = api.client("negotiator").get("/agreements").json()
    assert whole == agreements.list_instruments(api.store, include_restricted=True)
    assert whole["total"] == len(whole["items"]) >= 19


@pytest.mark.parametrize(
    "params",
    [{"kind": "protocol"}, {"topic": "internal-security"}, {"stalled_years": 5}, {"country": "SA", "kind": "protocol"}],
)
def test_list_filters_match_the_service(api, params):
    r = api.client().get("/agreements", params=params)
    assert r.status_code == 200, r.text
    expected = agreements.list_instruments(api.store, include_restricted=False, **params)
    assert r.json() == expected and expected["total"] > 0


def test_one_instrument_with_its_etag_and_history(api):
    r = api.client().get(f"/agreements/{AE}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == agreements.show(api.store, AE)
    assert body["partner_country"] == "AE" and body["confidentiality"] == "public"
    assert r.headers["etag"] == f'"{agreements.version(api.store, AE)}"'
    h = api.client().get(f"/agreements/{AE}/history")
    assert h.status_code == 200 and h.json() == body["history"]


@pytest.mark.parametrize("path", ["/agreements/NO-SUCH-ID", "/agreements/NO-SUCH-ID/history"])
def test_unknown_id_is_404(api, path):
    r = api.client().get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
    assert "NO-SUCH-ID" in r.json()["detail"]


def test_bad_filter_is_422(api):
    r = api.client().get("/agreements", params={"stalled_years": "many"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


# -- writes -----------------------------------------------------------------------------------------------


def test_create_then_transition_with_etags(api):
    rid = new_id()
    neg = api.client("negotiator")
    r = neg.post("/agreements", json=record(rid, topics=["internal-security"]))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["id"] == rid and created["status"] == "negotiating" and created["topics"] == ["internal-security"]
    assert [e["by"] for e in created["history"]] == ["test-negotiator"]
    etag = r.headers["etag"]
    assert api.client().get(f"/agreements/{rid}").headers["etag"] == etag

    t = neg.post(
        f"/agreements/{rid}/transitions",
        json={"to": "signed", "date": "2024-02-01", "note": "signé à Rabat", "source": "https://example.org/signature"},
        headers={"If-Match": etag},
    )
    assert t.status_code == 200, t.text
    assert t.json()["from"] == "negotiating" and t.json()["to"] == "signed" and t.json()["sequence"] == 2
    new = t.headers["etag"]
    assert new != etag and t.json()["version"] == new.strip('"')
    shown = api.client().get(f"/agreements/{rid}").json()
    assert shown["status"] == "signed" and shown["signed_on"] == "2024-02-01"
    last = shown["history"][-1]
    assert last["by"] == "test-negotiator" and last["note"] == "signé à Rabat"
    assert last["sources"] == ["https://example.org/signature"] and last["date"] == "2024-02-01"

    stale = neg.post(f"/agreements/{rid}/transitions", json={"to": "in_force"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.headers["content-type"].startswith(PROBLEM)
    assert api.client().get(f"/agreements/{rid}/history").json() == shown["history"]  # nothing written


def test_illegal_transition_is_409_naming_both_statuses_and_the_allowed_ones(api):
    rid = new_id()
    create(api, rid, status="planned")
    r = api.client("negotiator").post(f"/agreements/{rid}/transitions", json={"to": "in_force", "date": "2024-01-01"})
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"] == (
        f"illegal transition for {rid}: planned -> in_force; allowed next from planned: negotiating, abandoned"
    )
    unknown = api.client("negotiator").post(f"/agreements/{rid}/transitions", json={"to": "ratified_maybe"})
    assert unknown.status_code == 422 and "ratified_maybe" in unknown.json()["detail"]
    assert len(api.client().get(f"/agreements/{rid}/history").json()) == 1


def test_transition_on_an_unknown_id_is_404(api):
    r = api.client("negotiator").post("/agreements/NO-SUCH-ID/transitions", json={"to": "signed"})
    assert r.status_code == 404


def test_create_refuses_bad_data_and_duplicates(api):
    neg = api.client("negotiator")
    rid = new_id()
    bad = neg.post("/agreements", json=record(rid, partner_country="XX", signed_on="2019-02-30"))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)
    problems = bad.json()["problems"]
    assert {(p["column"], p["value"]) for p in problems} >= {("partner_country", "XX"), ("signed_on", "2019-02-30")}
    assert "partner_country" in bad.json()["detail"] and "'XX'" in bad.json()["detail"]
    assert api.client().get(f"/agreements/{rid}").status_code == 404  # nothing was written
    create(api, rid)
    again = neg.post("/agreements", json=record(rid))
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    unknown_field = neg.post("/agreements", json={**record(new_id()), "colour": "blue"})
    assert unknown_field.status_code == 422


def test_writes_need_a_negotiator_token(api):
    rid = new_id()
    body = record(rid)
    r = api.client().post("/agreements", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert api.client("reader").post("/agreements", json=body).status_code == 403
    assert api.client().post(f"/agreements/{AE}/transitions", json={"to": "suspended"}).status_code == 401
    assert api.client("reader").post(f"/agreements/{AE}/transitions", json={"to": "suspended"}).status_code == 403
    assert api.client().get(f"/agreements/{rid}").status_code == 404
    assert api.client().get(f"/agreements/{AE}").json()["status"] == "published"


def test_concurrent_transitions_with_the_same_if_match_one_wins(api):
    rid = new_id()
    etag = create(api, rid)
    codes: list[int] = []

    def move(to: str) -> None:
        with api.client("negotiator") as c:
            body = {"to": to, "date": "2024-05-01"}
            codes.append(c.post(f"/agreements/{rid}/transitions", json=body, headers={"If-Match": etag}).status_code)

    threads = [threading.Thread(target=move, args=(to,)) for to in ("initialled", "signed")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 412]
    history = api.client().get(f"/agreements/{rid}/history").json()
    assert [e["sequence"] for e in history] == [1, 2]  # creation, then exactly one new event
    assert api.client().get(f"/agreements/{rid}").json()["status"] == history[-1]["to"]


# -- register imports over /import --------------------------------------------------------------------------


def _csv(rows: list[dict]) -> bytes:
    import csv
    import io

    from loaders.register import COLUMNS

    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: (";".join(v) if isinstance(v, list) else v) for c, v in r.items()})
    return out.getvalue().encode()


def test_negotiator_imports_a_register_with_etags(api):
    neg = api.client("negotiator")
    a, b = new_id(), new_id()
    etag = neg.get("/import").headers["etag"]
    csv_body = _csv([record(a), record(b)])
    r = neg.post("/import", content=csv_body, headers={"Content-Type": "text/csv", "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["report"]["created"] == [a, b] and r.json()["loaded"] == {"upload.csv": 2}
    new = r.headers["etag"]
    assert new != etag and neg.get("/import").headers["etag"] == new
    # the same rows again change nothing; JSON is accepted too
    same = neg.post("/import", json=[record(a), record(b)], headers={"If-Match": new})
    assert same.status_code == 200, same.text
    assert same.json()["report"]["unchanged"] == [a, b] and same.headers["etag"] == new
    stale = neg.post("/import", json=[record(a, status="signed")], headers={"If-Match": etag})
    assert stale.status_code == 412
    assert api.client().get(f"/agreements/{a}").json()["status"] == "negotiating"


def test_register_import_refuses_bad_rows_with_the_report(api):
    neg = api.client("negotiator")
    good, bad = new_id(), new_id()
    rows = [record(good), record(bad, status="ratified_maybe", parent_id="NO-SUCH-AGREEMENT")]
    r = neg.post("/import", content=_csv(rows), headers={"Content-Type": "text/csv"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    assert "nothing was imported" in r.json()["detail"]
    problems = r.json()["problems"]
    # rows as a spreadsheet numbers them: the header is row 1, the bad record (second data row) row 3
    assert {"row": 3, "column": "status", "value": "ratified_maybe"}.items() <= next(
        p for p in problems if p["column"] == "status"
    ).items()
    assert any(p["row"] == 3 and p["column"] == "parent_id" and p["reason"] for p in problems)
    assert "row 3, column status: 'ratified_maybe' unknown status" in r.json()["detail"]
    assert api.client().get(f"/agreements/{good}").status_code == 404  # all rows or none


def test_import_roles_by_media_type(api):
    ttl = b'<https://w3id.org/dci-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@fr .'
    rdf, csv_ = {"Content-Type": "text/turtle"}, {"Content-Type": "text/csv"}
    assert api.client("negotiator").post("/import", content=ttl, headers=rdf).status_code == 403
    body = _csv([record(new_id())])
    assert api.client("reader").post("/import", content=body, headers=csv_).status_code == 403
    assert api.client().post("/import", content=body, headers=csv_).status_code == 401
    assert api.client("admin").post("/import", content=body, headers=csv_).status_code == 200


# -- restricted instruments ---------------------------------------------------------------------------------


def test_restricted_instruments_are_invisible_to_readers(api):
    rid = new_id("TEST-RESTRICTED")
    reader_count, admin_count = count(api.client("reader")), count(api.client("admin"))
    anonymous_list = api.client().get("/agreements").json()
    reader_etag = api.client("reader").get("/import").headers["etag"]

    create(api, rid, confidentiality="restricted", status="negotiating")
    t = api.client("negotiator").post(f"/agreements/{rid}/transitions", json={"to": "signed", "date": "2024-03-01"})
    assert t.status_code == 200, t.text

    # REST: absent from lists and counts, 404 on every endpoint, as for an unknown id
    for client in (api.client(), api.client("reader")):
        assert client.get("/agreements").json() == anonymous_list
        assert client.get("/agreements", params={"country": "MA"}).json()["items"] == [
            i for i in anonymous_list["items"] if i["partner_country"] == "MA"
        ]
        for path in (f"/agreements/{rid}", f"/agreements/{rid}/history", f"/id/instrument/{rid}"):
            assert client.get(path).status_code == 404, path
    assert api.client("reader").get("/import").headers["etag"] == reader_etag
    for role in ("negotiator", "admin"):
        c = api.client(role)
        assert rid in {i["id"] for i in c.get("/agreements").json()["items"]}
        shown = c.get(f"/agreements/{rid}").json()
        assert shown["confidentiality"] == "restricted"
        assert [e["to"] for e in shown["history"]] == ["negotiating", "signed"]

    # SPARQL: a reader's count over everything does not move; an admin's does (instrument, history, inferences)
    assert count(api.client("reader")) == reader_count
    assert count(api.client()) == reader_count
    assert count(api.client("admin")) > admin_count
    iri = f"https://w3id.org/dci-kg/id/instrument/{rid}"
    about = f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"
    assert ask(api.client("reader"), about) is False
    assert ask(api.client("admin"), about) is True
    for graph in ("history-restricted", "inferred-restricted", "agreements-restricted"):
        g = f"ASK {{ GRAPH <https://w3id.org/dci-kg/graph/{graph}> {{ ?s ?p ?o }} }}"
        assert ask(api.client("reader"), g) is False, graph
        assert ask(api.client("admin"), g) is True, graph
