"""Register import: atomic, idempotent, every problem named; the bundled register loads on init."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.services import agreements
from kg.services.build import load_files
from loaders.register import RegisterError
from vocab import iris
from vocab.namespaces import (
    AGREEMENTS_PUBLIC_GRAPH,
    AGREEMENTS_RESTRICTED_GRAPH,
    HISTORY_GRAPH,
    HISTORY_RESTRICTED_GRAPH,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "register"


def quads(store) -> set:
    return set(store.quads())


def test_bundled_register_is_loaded_by_init(built_store):
    result = agreements.list_instruments(built_store)
    assert result["total"] == 21
    ae = agreements.list_instruments(built_store, country="AE")["items"]
    assert [i["id"] for i in ae] == ["AE-2009-05-26-agreement"]
    assert ae[0]["signed_on"] == "2009-05-26"
    # unknown values stay empty: the research did not find the entry-into-force date
    assert ae[0]["in_force_on"] is None


def test_bundled_register_keeps_sources_and_notes(built_store):
    d = agreements.show(built_store, "SI-2007-10-10-agreement")
    assert "https://legal.tricoteuses.fr/articles/JORFARTI000022265169" in d["source"]
    assert "décret n° 2010-542" in d["note"]
    assert d["status"] == "published"
    # the research rows with an unknown status have no status, and no history
    old = agreements.show(built_store, "SA-1980-11-02-protocol")
    assert old["status"] is None and old["history"] == []


def test_bad_rows_change_nothing_and_each_problem_is_named(fresh_store):
    before = quads(fresh_store)
    with pytest.raises(RegisterError) as info:
        agreements.import_file(fresh_store, DATA / "bad.csv")
    assert quads(fresh_store) == before
    found = {(p.row, p.column) for p in info.value.problems}
    # rows as a spreadsheet numbers them: the header is row 1, the first data row (a good one) row 2
    assert (3, "status") in found
    assert (4, "signed_on") in found
    assert (5, "partner_country") in found
    assert (6, "parent_id") in found
    assert {(7, "topics"), (7, "beneficiaries"), (7, "mandate")} <= found
    assert not any(p.row == 2 for p in info.value.problems)
    text = str(info.value)
    assert "2019-02-30" in text and "'XX'" in text and "NO-SUCH-AGREEMENT" in text and "ratified_maybe" in text


def test_import_twice_leaves_the_store_as_after_the_first_time(fresh_store):
    first = agreements.import_file(fresh_store, DATA / "good.csv")
    assert first.created == ["TEST-MA-agreement", "TEST-MA-arrangement"]
    after_first = quads(fresh_store)
    second = agreements.import_file(fresh_store, DATA / "good.csv")
    assert second.created == [] and second.status_changes == 0
    assert quads(fresh_store) == after_first


def test_same_id_updates_and_a_changed_status_becomes_an_event(fresh_store, tmp_path):
    agreements.import_file(fresh_store, DATA / "good.csv")
    changed = (
        (DATA / "good.csv")
        .read_text(encoding="utf-8")
        .replace("public,https://example.org/test-ma,test row", "public,https://example.org/test-ma,updated row")
        .replace(",signed,2015-03-02,Rabat,", ",approval_pending,2015-03-02,Rabat,")
    )
    path = tmp_path / "changed.csv"
    path.write_text(changed, encoding="utf-8")
    report = agreements.import_file(fresh_store, path)
    assert "TEST-MA-agreement" in report.updated and report.status_changes == 1
    d = agreements.show(fresh_store, "TEST-MA-agreement")
    assert d["note"] == "updated row" and d["status"] == "approval_pending"
    assert [(e["from"], e["to"]) for e in d["history"]] == [(None, "signed"), ("signed", "approval_pending")]
    assert agreements.list_instruments(fresh_store, country="MA", include_restricted=True)["total"] == 2  # no duplicate


def test_import_refuses_an_illegal_status_change(fresh_store, tmp_path):
    agreements.import_file(fresh_store, DATA / "good.csv")
    path = tmp_path / "jump.csv"
    path.write_text(  # signed -> published skips approval and entry into force; published never leads to signed
        (DATA / "good.csv").read_text(encoding="utf-8").replace(",signed,2015-03-02,", ",published,2015-03-02,"),
        encoding="utf-8",
    )
    before = quads(fresh_store)
    with pytest.raises(RegisterError, match="illegal transition signed -> published"):
        agreements.import_file(fresh_store, path)
    assert quads(fresh_store) == before


def test_a_row_behind_the_store_is_left_and_reported(fresh_store, tmp_path):
    """An older copy of the register (the store has recorded later steps) re-imports: those rows are
    left as the store has them and reported; the other rows are imported."""
    agreements.import_file(fresh_store, DATA / "good.csv")
    agreements.transition(fresh_store, "TEST-MA-agreement", "approved", date=dt.date(2016, 1, 4), by="t")
    older = tmp_path / "older.csv"
    title = "Arrangement technique d'essai"
    older.write_text(
        (DATA / "good.csv").read_text(encoding="utf-8").replace(title, f"{title} (corrigé)"), encoding="utf-8"
    )
    text = older.read_text(encoding="utf-8")
    assert ",signed,2015-03-02," in text  # the file still says signed; the store says approved
    report = agreements.import_file(fresh_store, older)
    assert report.behind == [
        {"id": "TEST-MA-agreement", "row": 2, "file_status": "signed", "store_status": "approved"}
    ]
    assert report.updated == ["TEST-MA-arrangement"]  # the rest of the file is imported
    assert agreements.show(fresh_store, "TEST-MA-arrangement", include_restricted=True)["title"].endswith("(corrigé)")
    d = agreements.show(fresh_store, "TEST-MA-agreement")
    assert d["status"] == "approved" and [e["to"] for e in d["history"]] == ["signed", "approved"]
    again = agreements.import_file(fresh_store, older)  # well-defined: the same report, nothing written
    assert again.behind == report.behind and not again.created and not again.updated


def test_restricted_instruments_are_stored_apart(fresh_store):
    agreements.import_file(fresh_store, DATA / "good.csv")
    restricted = iris.instrument("TEST-MA-arrangement")
    public = iris.instrument("TEST-MA-agreement")
    assert {q[0] for q in fresh_store.quads(AGREEMENTS_RESTRICTED_GRAPH)} == {restricted}
    assert restricted not in {q[0] for q in fresh_store.quads(AGREEMENTS_PUBLIC_GRAPH)}
    assert public in {q[0] for q in fresh_store.quads(AGREEMENTS_PUBLIC_GRAPH)}
    restricted_events = {q[2] for q in fresh_store.quads(HISTORY_RESTRICTED_GRAPH)}
    assert restricted in restricted_events
    assert restricted not in {q[2] for q in fresh_store.quads(HISTORY_GRAPH)}
    public_only = agreements.list_instruments(fresh_store, country="MA", include_restricted=False)
    assert [i["id"] for i in public_only["items"]] == ["TEST-MA-agreement"]


def test_register_fields_round_trip(fresh_store):
    agreements.import_file(fresh_store, DATA / "good.csv")
    d = agreements.show(fresh_store, "TEST-MA-agreement")
    assert d["beneficiaries"] == ["DGGN", "DGPN"]
    assert d["negotiator"] == "DCI"
    # 1k resolves to the text in force on the signature day (2015: the arrêté of 12 August 2013)
    assert d["mandate"] == "1k@INTA1319065A"
    assert d["topics"] == ["internal-security", "terrorism"]
    child = agreements.show(fresh_store, "TEST-MA-arrangement", include_restricted=True)
    assert child["parent_id"] == "TEST-MA-agreement" and child["confidentiality"] == "restricted"


def test_export_then_import_changes_nothing(fresh_store, tmp_path):
    import csv

    from loaders.register import COLUMNS

    rows = agreements.export_rows(fresh_store, include_restricted=True)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    before = quads(fresh_store)
    report = agreements.import_file(fresh_store, path)
    assert report.created == [] and report.updated == []
    assert quads(fresh_store) == before


def test_json_register(fresh_store):
    report = agreements.import_file(fresh_store, DATA / "good.json")
    assert report.created == ["TEST-TN-agreement"]
    item = agreements.list_instruments(fresh_store, country="TN")["items"][0]
    assert item["status"] == "in_force" and item["in_force_on"] == "2013-05-01"
    assert agreements.history(fresh_store, "TEST-TN-agreement")[0]["date"] == "2013-05-01"


def test_load_accepts_the_register_format(fresh_store):
    load_files(fresh_store, [DATA / "good.csv"])
    assert agreements.list_instruments(fresh_store, country="MA", include_restricted=True)["total"] == 2


def test_unknown_column_is_refused(tmp_path, fresh_store):
    path = tmp_path / "cols.csv"
    path.write_text("id,kind,colour\nX,agreement,blue\n", encoding="utf-8")
    with pytest.raises(RegisterError) as info:
        agreements.import_file(fresh_store, path)
    assert any(p.column == "colour" and "unknown column" in p.reason for p in info.value.problems)
