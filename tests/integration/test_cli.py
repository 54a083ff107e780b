"""The dci-kg command line, run as a real process on a store on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vocab.paths import ROOT


def run(*args: str, store: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCIKG_STORE": str(store), "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"dci-kg {' '.join(args)} failed: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store")
    run("init", store=path)
    return path


def test_ask_json_answers_item_k(store: Path) -> None:
    out = run("ask", "Qui négocie les arrangements techniques pour la gendarmerie ?", "--json", store=store)
    answer = json.loads(out.stdout)
    top = answer["answers"][0]
    assert (top["mandate"]["legal_text"]["nor"], top["mandate"]["letter"]) == ("INTA1319065A", "k")
    assert "DGGN" in {b["acronym"] for b in top["beneficiaries"]}


def test_ask_at_2011_answers_item_f_of_2010(store: Path) -> None:
    out = run(
        "ask",
        "Qui négocie les arrangements techniques pour la gendarmerie ?",
        "--at",
        "2011-06-01",
        "--json",
        store=store,
    )
    top = json.loads(out.stdout)["answers"][0]
    assert (top["mandate"]["legal_text"]["nor"], top["mandate"]["letter"]) == ("IOCC1018202A", "f")


def test_ask_refuses_a_bad_date(store: Path) -> None:
    proc = run("ask", "x", "--at", "2019-02-30", store=store, check=False)
    assert proc.returncode == 2 and "--at must be a date" in proc.stderr


def test_store_option_overrides_the_environment(store: Path, tmp_path: Path) -> None:
    out = run(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "json",
        "--store",
        str(store),
        store=tmp_path / "elsewhere",
    )
    assert int(json.loads(out.stdout)[0]["n"]) > 10_000


def test_query_csv_from_an_rq_file(store: Path) -> None:
    out = run("query", "kg/queries/exclusions.rq", "--format", "csv", store=store)
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "mandate,exclusion,text,reservedTo,topic"
    assert any("org/RENS" in line for line in lines[1:])


def test_bad_query_is_an_error_naming_the_problem(store: Path) -> None:
    proc = run("query", "SELECT WHERE {", store=store, check=False)
    assert proc.returncode == 1 and "SPARQL syntax error" in proc.stderr


def test_validate_passes_on_bundled_data(store: Path) -> None:
    assert "0 violations" in run("validate", store=store).stdout


def test_load_is_all_or_nothing(store: Path, tmp_path: Path) -> None:
    before = run("export", "--format", "nquads", store=store).stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://w3id.org/dci-kg/id/org/DCI> <https://w3id.org/dci-kg/ontology#acronym> "X" .\n')
    proc = run("load", str(bad), store=store, check=False)
    assert proc.returncode == 1 and "More than 1 values" in proc.stderr and "unchanged" in proc.stderr
    assert run("export", "--format", "nquads", store=store).stdout == before


def test_export_trig_has_named_graphs(store: Path) -> None:
    out = run("export", "--format", "trig", store=store).stdout
    assert "<https://w3id.org/dci-kg/graph/legal/INTA1319065A>" in out


def test_reason_reports_consistency(store: Path) -> None:
    out = run("reason", store=store).stdout
    assert "HermiT: consistent" in out
