"""The command line as people expect it (issue 16): help, --json, token list, named queries with their
parameters, spreadsheet row numbers, ';' registers, re-imports of an older register, clear errors.
Real CLI (typer's CliRunner on the app), real store on disk."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from loaders.register import COLUMNS
from vocab.paths import ROOT

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def run(*args: str, store: Path | None = None, env: dict | None = None):
    argv = [*args, "--store", str(store)] if store is not None else list(args)
    return CliRunner().invoke(app, argv, env={**ENV, **(env or {})}, catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-store")
    assert run("init", store=path).exit_code == 0
    return path


@pytest.fixture
def own_store(tmp_path, store) -> Path:
    """A store of its own, for a test that writes (built by init, like the module's)."""
    path = tmp_path / "store"
    assert run("init", store=path).exit_code == 0
    return path


def register_csv(rows: list[dict], sep: str = ",") -> str:
    base = {"kind": "agreement", "title": "Accord d'essai", "partner_country": "MA", "confidentiality": "public",
            "source": "https://example.org/s"}  # fmt: skip
    lines = [sep.join(COLUMNS)] + [sep.join({**base, **r}.get(c, "") for c in COLUMNS) for r in rows]
    return "\n".join(lines) + "\n"


# -- help ------------------------------------------------------------------------------------------------


def _help(*command: str, env: dict) -> str:
    """`--help` as a new process prints it (the --store default is read when the command starts)."""
    full = {**os.environ, **ENV, **env}
    done = subprocess.run([sys.executable, "-m", "cli.main", *command, "--help"], capture_output=True, text=True,
                          env=full, cwd=ROOT, check=True)  # fmt: skip
    return re.sub(r"\s*│\s*", " ", done.stdout)  # the help's table borders and wrapping out


def test_help_shows_no_bool_after_flags_and_the_real_store_default(tmp_path):
    here = {"DCIKG_STORE": str(tmp_path / "here")}
    for command in (["ask"], ["agreements", "list"], ["serve"], ["query"], ["token", "list"]):
        text = _help(*command, env=here)
        assert "<bool>" not in text, command
        assert "--json" in text or command == ["serve"]
    assert f"[default: {tmp_path / 'here'}, from $DCIKG_STORE]" in _help("validate", env=here)
    xdg = {"DCIKG_STORE": "", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert f"[default: $DCIKG_STORE, else {tmp_path / 'xdg' / 'dci-kg' / 'store'}]" in _help("validate", env=xdg)


# -- --json everywhere -------------------------------------------------------------------------------------


def test_init_prints_the_real_counts_on_a_built_store_and_json(store):
    again = run("init", "--json", store=store)
    assert again.exit_code == 0
    graphs = json.loads(again.output)["graphs"]
    assert graphs["register"] > 0 and graphs["ontology"] > 0  # the register is kept, and counted


def test_validate_and_load_print_json(store, tmp_path):
    v = json.loads(run("validate", "--json", store=store).output)
    assert v["conforms"] is True and v["triples"] > 0 and v["violations"] == []


# -- tokens ------------------------------------------------------------------------------------------------


def test_token_list_shows_names_and_roles_never_secrets(tmp_path):
    env = {"DCIKG_TOKENS_FILE": str(tmp_path / "tokens.json")}
    created = run("token", "create", "--role", "negotiator", "--name", "bob", env=env)
    secret = created.stdout.strip().splitlines()[-1]
    listed = run("token", "list", env=env)
    assert listed.exit_code == 0 and "bob" in listed.output and "negotiator" in listed.output
    as_json = json.loads(run("token", "list", "--json", env=env).output)
    assert [(t["name"], t["role"]) for t in as_json["tokens"]] == [("bob", "negotiator")]
    stored = json.loads((tmp_path / "tokens.json").read_text())["tokens"][0]["sha256"]
    for out in (listed.output, json.dumps(as_json)):
        assert secret not in out and stored not in out
    made = json.loads(run("token", "create", "--role", "reader", "--name", "carol", "--json", env=env).stdout)
    assert made["name"] == "carol" and made["role"] == "reader" and len(made["token"]) > 30
    run("token", "revoke", "carol", env=env)
    run("token", "revoke", "bob", env=env)
    assert json.loads(run("token", "list", "--json", env=env).output)["tokens"] == []


# -- query -------------------------------------------------------------------------------------------------


def test_query_a_missing_file_says_so(store):
    for arg in ("kg/queries/no-such.rq", "no-such.rq", "no-such-query"):
        r = run("query", arg, store=store)
        assert r.exit_code == 2 and "no such file" in r.output and "CONSTRUCT" not in r.output, arg


def test_query_refuses_updates(store):
    r = run("query", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", store=store)
    assert r.exit_code == 2 and "updates" in r.output and "refused" in r.output and "CONSTRUCT" not in r.output


def test_named_query_binds_its_parameters(store):
    r = run("query", "signed-not-in-force", "--param", "cutoff=2015-01-01", "--json", store=store)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    ids = {row["id"] for row in rows}
    assert "BH-2007-11-30-agreement" in ids  # signed 2007, waiting for its approval law
    assert all(row["cutoff"] == "2015-01-01" and row["signedOn"] < "2015-01-01" for row in rows)
    later = json.loads(run("query", "signed-not-in-force", "-p", "cutoff=2008-01-01", "--json", store=store).output)
    assert {row["id"] for row in later} < ids  # the parameter is bound, not ignored
    same = run("query", str(ROOT / "kg/queries/signed-not-in-force.rq"), "-p", "cutoff=2015-01-01", "--json",
               store=store)  # fmt: skip
    assert json.loads(same.output) == rows  # a .rq file's `# param:` lines bind the same way
    months = json.loads(run("query", "term-ending", "--param", "months=600", "--json", store=store).output)
    assert all(row["months"] == "600" for row in months)
    history = json.loads(run("query", "instrument-history", "-p", "id=SI-2007-10-10-agreement", "--json",
                             store=store).output)  # fmt: skip
    assert history and {row["id"] for row in history} == {"SI-2007-10-10-agreement"}


def test_a_query_with_unbound_parameters_fails_naming_them(store):
    r = run("query", "term-ending", store=store)  # ?today defaults to today; ?months has no default
    assert r.exit_code == 2 and "needs months" in r.output and "--param months=" in r.output
    unknown = run("query", "signed-not-in-force", "-p", "cutof=2015-01-01", store=store)
    assert unknown.exit_code == 2 and "no parameter 'cutof'" in unknown.output and "cutoff" in unknown.output
    bad = run("query", "signed-not-in-force", "-p", "cutoff=2019-02-30", store=store)
    assert bad.exit_code == 2 and "not a valid date" in bad.output
    optional = run("query", "arrangements-under", "--json", store=store)  # ?parentId is declared optional
    assert optional.exit_code == 0 and isinstance(json.loads(optional.output), list)


# -- ask -------------------------------------------------------------------------------------------------


def test_ask_before_any_text_says_no_text_was_in_force(store):
    r = run("ask", "Qui négocie les arrangements techniques pour la gendarmerie ?", "--at", "1800-01-01",
            store=store)  # fmt: skip
    assert r.exit_code == 0 and "Aucun texte en vigueur à cette date (1800-01-01)" in r.output
    assert "2010-09-01" in r.output  # the first text held, the arrêté of 27 August 2010
    en = run("ask", "Who negotiates technical arrangements for the gendarmerie?", "--at", "1800-01-01", store=store)
    assert en.exit_code == 0 and "No text in force on that date (1800-01-01)" in en.output


def test_ask_answers_in_the_question_language_only(store):
    """The role and the field names in the question's language, from the RDF labels and the catalogue."""
    fr = run("ask", "Qui négocie les arrangements techniques pour la gendarmerie ?", store=store)
    en = run("ask", "Who negotiates technical arrangements for the gendarmerie?", store=store)
    assert fr.exit_code == 0 and en.exit_code == 0
    assert "beneficiaries" not in fr.output and "Au profit de" in fr.output
    assert "Au profit de" not in en.output and "For:" in en.output
    for code in ("implement", "co-decide", "contribute", "lead", "informed"):
        assert f"— {code} —" not in fr.output and f"— {code} —" not in en.output  # a label, not the code


# -- registers -------------------------------------------------------------------------------------------


def test_a_french_excel_register_with_semicolons_imports(own_store, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(register_csv([{"id": "TEST-SEMI-1", "topics": "police"}], sep=";"), encoding="utf-8")
    r = run("agreements", "import", str(path), "--json", store=own_store)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["created"] == ["TEST-SEMI-1"]


def test_a_header_of_another_file_is_one_line_not_twenty(own_store, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Nom|Pays|Date\nx|y|z\n", encoding="utf-8")
    r = run("agreements", "import", str(path), store=own_store)
    assert r.exit_code == 1
    assert "1 problem(s)" in r.output and "missing column" not in r.output and "row 1" in r.output


def test_register_rows_are_numbered_as_in_a_spreadsheet(own_store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(register_csv([{"id": "TEST-ROW-OK"}, {"id": "TEST-ROW-BAD", "partner_country": "XX"}]),
                    encoding="utf-8")  # fmt: skip
    r = run("agreements", "import", str(path), store=own_store)
    assert r.exit_code == 1
    assert "row 3, column partner_country: 'XX'" in r.output  # header row 1, first row 2, the bad one row 3


def test_an_older_register_reimports_after_a_transition(own_store, tmp_path):
    step = run("agreements", "transition", "BH-2007-11-30-agreement", "approved", "--date", "2010-03-01", "--json",
               store=own_store)  # fmt: skip
    assert step.exit_code == 0 and json.loads(step.output)["to"] == "approved"
    again = run("agreements", "import", str(ROOT / "data/register/agreements.csv"), store=own_store)
    assert again.exit_code == 0, again.output
    assert "BH-2007-11-30-agreement: left as in the store (approved)" in again.output
    shown = json.loads(run("agreements", "show", "BH-2007-11-30-agreement", "--json", store=own_store).output)
    assert shown["status"] == "approved"


@pytest.mark.parametrize(
    "name,text",
    [
        ("bad.ttl", '@prefix ex: <http://e/> .\nex:a ex:b "é\n'),
        ("bad.nt", "<http://e/a> <http://e/b> .\n"),
        ("bad.nq", "junk\n"),
        ("bad.rdf", "<a><b>"),
    ],
)
def test_rdf_errors_name_the_file_without_python_reprs(own_store, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = run("load", str(path), store=own_store)
    assert r.exit_code == 1 and name in r.output and "nothing was loaded" in r.output
    for leak in ("b'", 'b"', "Traceback", "object at 0x", "URIRef("):
        assert leak not in r.output, (leak, r.output)
