"""A refused register import over HTTP: `problems` as {row, column, value, reason} objects, rows numbered as
a spreadsheet numbers them, a readable `detail`; a French-Excel ';' register accepted; an older copy of
the register re-imported after a status change (real uvicorn, both backends)."""

from __future__ import annotations

import uuid

from loaders.register import COLUMNS

PROBLEM = "application/problem+json"


def _row(**cells) -> dict:
    base = {"kind": "agreement", "title": "Accord d'essai", "partner_country": "MA", "confidentiality": "public",
            "source": "https://example.org/s"}  # fmt: skip
    return {"id": f"TEST-PB-{uuid.uuid4().hex[:8]}", **base, **cells}


def _csv(rows: list[dict], sep: str = ",") -> bytes:
    lines = [sep.join(COLUMNS)] + [sep.join(r.get(c, "") for c in COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_csv_problems_are_objects_with_spreadsheet_rows(api):
    good, bad = _row(), _row(partner_country="XX", signed_on="2019-02-30")
    r = api.client("negotiator").post("/import", content=_csv([good, bad]), headers={"Content-Type": "text/csv"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert {"row": 3, "column": "partner_country", "value": "XX"}.items() <= body["problems"][0].items()
    assert all(set(p) == {"row", "column", "value", "reason"} and p["reason"] for p in body["problems"])
    assert {(p["row"], p["column"]) for p in body["problems"]} == {(3, "partner_country"), (3, "signed_on")}
    assert body["detail"].startswith("upload.csv: 2 problem(s); nothing was imported: row 3, column")
    assert api.client().get(f"/agreements/{good['id']}").status_code == 404  # all or nothing


def test_json_problems_number_items_from_one_and_file_problems_have_no_row(api):
    neg = api.client("negotiator")
    r = neg.post("/import", json=[_row(), _row(kind="treaty")])
    assert r.status_code == 422
    assert [(p["row"], p["column"]) for p in r.json()["problems"]] == [(2, "kind")]
    whole = neg.post("/import", content=b'{"nothing": 1}', headers={"Content-Type": "application/json"})
    assert whole.status_code == 422
    assert whole.json()["problems"] == [
        {"row": None, "column": None, "value": "", "reason": 'expected a list of instruments (or {"items": [...]})'}
    ]


def test_a_semicolon_register_imports_over_http(api):
    row = _row(topics="police")
    r = api.client("negotiator").post("/import", content=_csv([row], sep=";"), headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json()["report"]["created"] == [row["id"]]


def test_an_older_register_reimports_after_a_status_change(api):
    """The register exported before a status change was recorded re-imports: the row is left as the store
    has it and reported under `behind`; nothing fails."""
    neg = api.client("negotiator")
    row = _row(status="signed", signed_on="2015-03-02")
    older = _csv([row])
    first = neg.post("/import", content=older, headers={"Content-Type": "text/csv"})
    assert first.status_code == 200, first.text
    etag = neg.get(f"/agreements/{row['id']}").headers["etag"]
    step = neg.post(f"/agreements/{row['id']}/transitions", json={"to": "approved", "date": "2016-01-04"},
                    headers={"If-Match": etag})  # fmt: skip
    assert step.status_code in (200, 201), step.text
    again = neg.post("/import", content=older, headers={"Content-Type": "text/csv"})
    assert again.status_code == 200, again.text
    assert again.json()["report"]["behind"] == [
        {"id": row["id"], "row": 2, "file_status": "signed", "store_status": "approved"}
    ]
    assert api.client().get(f"/agreements/{row['id']}").json()["status"] == "approved"
