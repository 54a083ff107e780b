"""The register's audit columns on a real store (issue 14, part 4): a status 'as of' a source is a dated event,
links between instruments and the research certainty are data, and each bad cell is named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.services import agreements
from loaders.register import COLUMNS, RegisterError

BASE = {"kind": "agreement", "partner_country": "MA", "confidentiality": "public", "source": "https://example.org/s"}


def write(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows([{c: r.get(c, "") for c in columns} for r in rows])
    return path


def test_a_status_as_of_a_source_is_an_event_of_that_day(fresh_store, tmp_path):
    row = {**BASE, "id": "AUDIT-ASOF-1", "title": "Accord d'essai", "status": "approval_pending",
           "status_on": "2014-07-09", "signed_on": "2010-01-21", "certainty": "C"}  # fmt: skip
    agreements.import_file(fresh_store, write(tmp_path / "r.csv", [row]))
    d = agreements.show(fresh_store, "AUDIT-ASOF-1")
    assert [(e["to"], e["date"]) for e in d["history"]] == [("approval_pending", "2014-07-09")]
    assert d["status_on"] == "2014-07-09" and d["certainty"] == "C"


def test_the_bundled_register_dates_its_pending_statuses(built_store):
    d = agreements.show(built_store, "BH-2007-11-30-agreement")
    assert d["status"] == "approval_pending" and d["status_on"] == "2010-02-24"  # AN rapport 2341 du 2010-02-24
    assert d["history"][-1]["date"] == "2010-02-24"
    lb = agreements.show(built_store, "LB-1993-10-14-protocol")
    assert lb["status"] == "published" and lb["status_on"] == "1995-03-28"


def test_links_between_instruments_are_stored_and_exported_again(fresh_store, tmp_path):
    rows = [
        {**BASE, "id": "AUDIT-OLD", "kind": "protocol", "title": "Protocole d'essai"},
        {**BASE, "id": "AUDIT-NEW", "title": "Accord d'essai", "related": "completes:AUDIT-OLD;follows:AUDIT-OLD"},
    ]
    agreements.import_file(fresh_store, write(tmp_path / "r.csv", rows))
    assert agreements.show(fresh_store, "AUDIT-NEW")["related"] == ["completes:AUDIT-OLD", "follows:AUDIT-OLD"]
    exported = {r["id"]: r for r in agreements.export_rows(fresh_store)}
    assert exported["AUDIT-NEW"]["related"] == "completes:AUDIT-OLD;follows:AUDIT-OLD"
    assert exported["LB-2010-01-21-agreement"]["related"] == "completes:LB-1993-10-14-protocol"
    again = agreements.import_file(fresh_store, write(tmp_path / "again.csv", list(exported.values())))
    assert not again.created and not again.updated  # exporting then importing changes nothing


def test_a_header_without_the_optional_columns_still_imports(fresh_store, tmp_path):
    old = [c for c in COLUMNS if c not in ("status_on", "related", "certainty")]
    row = {**BASE, "id": "AUDIT-OLD-HEADER", "title": "Accord d'essai", "status": "signed", "signed_on": "2015-03-02"}
    report = agreements.import_file(fresh_store, write(tmp_path / "old.csv", [row], old))
    assert report.created == ["AUDIT-OLD-HEADER"]
    d = agreements.show(fresh_store, "AUDIT-OLD-HEADER")
    assert d["history"][-1]["date"] == "2015-03-02" and d.get("certainty") is None  # dated by signed_on


BAD = [
    ({"status": "signed", "signed_on": "2015-03-02", "status_on": "2014-01-01"}, "status_on", "before signed_on"),
    ({"status_on": "2014-01-01"}, "status_on", "needs a status"),
    ({"status": "signed", "status_on": "2014-02-30"}, "status_on", "not a valid date"),
    ({"certainty": "high"}, "certainty", "must be one of C, P, U"),
    ({"related": "completes:NO-SUCH-ID"}, "related", "no instrument with id"),
    ({"related": "amends:LB-1993-10-14-protocol"}, "related", "unknown relation 'amends'"),
    ({"related": "LB-1993-10-14-protocol"}, "related", "must be relation:id"),
    ({"related": "follows:AUDIT-BAD"}, "related", "related to itself"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "column", "reason"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_a_bad_audit_cell_is_named(fresh_store, tmp_path, cells, column, reason):
    row = {**BASE, "id": "AUDIT-BAD", "title": "Accord d'essai", **cells}
    with pytest.raises(RegisterError) as info:
        agreements.import_file(fresh_store, write(tmp_path / "bad.csv", [row]))
    assert any(p.column == column and reason in p.reason for p in info.value.problems), info.value.problems
