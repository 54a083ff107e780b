"""The life-cycle as data: transitions land in the history, illegal ones are refused; the CLI contract."""

from __future__ import annotations

import datetime as dt
import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS
from typer.testing import CliRunner

from cli.main import app
from kg.services import agreements
from kg.services.agreements.lifecycle import IllegalTransition
from kg.store import EmbeddedStore
from vocab.paths import ONTOLOGY_DIR

DATA = Path(__file__).resolve().parents[1] / "data" / "register"
EXPECTED_CODES = {
    "planned", "negotiating", "initialled", "signed", "approval_pending", "approved", "in_force",
    "published", "suspended", "terminated", "abandoned",
}  # fmt: skip


def test_status_scheme_has_the_stable_codes_and_scope_notes(built_store):
    from kg.services.agreements import lifecycle

    lc = lifecycle.load(built_store)
    assert set(lc.statuses) == EXPECTED_CODES
    assert lc.in_force == {"in_force", "published"}
    assert lc.final == {"terminated", "abandoned"}
    assert "in_force" not in lc.allowed_next["planned"]
    g = Graph().parse(ONTOLOGY_DIR / "statuses.ttl")
    for concept in lc.statuses.values():
        langs = {n.language for n in g.objects(concept, SKOS.scopeNote)}
        assert langs == {"fr", "en"}, concept


@pytest.mark.parametrize("name", ["agreements.ttl", "statuses.ttl"])
def test_every_class_and_property_has_french_and_english_labels_and_definitions(name):
    from rdflib.namespace import OWL, RDF

    g = Graph().parse(ONTOLOGY_DIR / name)
    terms = [
        s
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in g.subjects(RDF.type, t)
        if str(s).startswith("https://w3id.org/dci-kg/")
    ]
    assert terms
    for t in terms:
        assert {n.language for n in g.objects(t, RDFS.label)} == {"fr", "en"}, t
        assert {n.language for n in g.objects(t, SKOS.definition)} == {"fr", "en"}, t


def test_every_transition_lands_in_the_history(fresh_store):
    agreements.import_file(fresh_store, DATA / "good.csv")
    steps = [("approval_pending", "2016-01-05"), ("approved", "2017-02-01"), ("in_force", "2017-06-01")]
    for status, day in steps:
        agreements.transition(
            fresh_store, "TEST-MA-agreement", status, date=dt.date.fromisoformat(day), by="bureau des accords",
            source="https://example.org/jo", note=f"to {status}",
        )  # fmt: skip
    events = agreements.history(fresh_store, "TEST-MA-agreement")
    assert [(e["from"], e["to"], e["date"]) for e in events] == [
        (None, "signed", "2015-03-02"),
        ("signed", "approval_pending", "2016-01-05"),
        ("approval_pending", "approved", "2017-02-01"),
        ("approved", "in_force", "2017-06-01"),
    ]
    assert events[-1]["by"] == "bureau des accords" and events[-1]["sources"] == ["https://example.org/jo"]
    d = agreements.show(fresh_store, "TEST-MA-agreement")
    assert d["status"] == "in_force"
    assert d["in_force_on"] == "2017-06-01" and d["approved_on"] == "2017-02-01"


def test_illegal_transition_is_refused_naming_both_statuses_and_the_allowed_ones(fresh_store):
    agreements.import_file(fresh_store, DATA / "good.csv")
    before = set(fresh_store.quads())
    with pytest.raises(IllegalTransition) as info:
        agreements.transition(fresh_store, "TEST-MA-arrangement", "in_force", date=dt.date(2020, 1, 1))
    message = str(info.value)
    assert "negotiating -> in_force" in message
    assert "initialled" in message and "signed" in message and "abandoned" in message
    assert set(fresh_store.quads()) == before


def test_cli_list_country_ae_shows_the_2009_agreement(built_store, tmp_path):
    store_dir = tmp_path / "store"
    s = EmbeddedStore(store_dir)
    s.bulk_add(built_store.quads())
    s.close()
    del s
    result = CliRunner().invoke(app, ["agreements", "list", "--country", "AE", "--json", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 1
    item = data["items"][0]
    assert set(item) == {"id", "iri", "kind", "title", "partner_country", "status", "signed_on", "in_force_on",
                         "parent_id"}  # fmt: skip
    assert item["signed_on"] == "2009-05-26" and item["kind"] == "agreement"


def _cli(*args: str) -> subprocess.CompletedProcess:
    """The real command line in its own process (an on-disk store is locked by the process that opens it)."""
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, check=False)


def test_cli_illegal_transition_exits_non_zero(built_store, tmp_path):
    store_dir = tmp_path / "store"
    s = EmbeddedStore(store_dir)
    s.bulk_add(built_store.quads())
    s.close()
    del s
    gc.collect()
    ok = _cli("agreements", "import", str(DATA / "good.csv"), "--store", str(store_dir))
    assert ok.returncode == 0, ok.stderr
    bad = _cli("agreements", "transition", "TEST-MA-arrangement", "in_force", "--date", "2020-01-01",
               "--store", str(store_dir))  # fmt: skip
    assert bad.returncode != 0
    assert "negotiating -> in_force" in bad.stderr and "allowed next" in bad.stderr
    good = _cli("agreements", "transition", "TEST-MA-arrangement", "signed", "--date", "2020-01-01",
                "--by", "test", "--store", str(store_dir))  # fmt: skip
    assert good.returncode == 0, good.stderr
    hist = _cli("agreements", "history", "TEST-MA-arrangement", "--json", "--store", str(store_dir))
    events = json.loads(hist.stdout)["events"]
    assert [(e["from"], e["to"]) for e in events] == [(None, "negotiating"), ("negotiating", "signed")]


def _land_first(monkeypatch, module, competing) -> None:
    """Have a real competing write land between a write's two reads (its state, then its quads): the
    interleaving two processes can produce, made certain."""
    original = module.instrument_quads
    fired = []

    def read_after_a_competing_write(store, iri):
        if not fired:
            fired.append(True)
            competing()
        return original(store, iri)

    monkeypatch.setattr(module, "instrument_quads", read_after_a_competing_write)


def _chain(store, rid: str) -> list[tuple]:
    return [(e["sequence"], e["from"], e["to"]) for e in agreements.history(store, rid, include_restricted=True)]


def test_a_transition_planned_while_another_lands_is_planned_again(fresh_store, monkeypatch):
    from kg.services.agreements import writes

    agreements.import_file(fresh_store, DATA / "good.csv")
    rid, day = "TEST-MA-arrangement", dt.date(2024, 5, 1)
    _land_first(monkeypatch, writes, lambda: agreements.transition(fresh_store, rid, "initialled", date=day))
    with pytest.raises(IllegalTransition, match="initialled -> initialled"):
        agreements.transition(fresh_store, rid, "initialled", date=day)
    assert _chain(fresh_store, rid) == [(1, None, "negotiating"), (2, "negotiating", "initialled")]


def test_an_import_planned_while_a_transition_lands_is_planned_again(fresh_store, monkeypatch):
    from kg.services.agreements import imports
    from loaders.register import read_rows

    agreements.import_file(fresh_store, DATA / "good.csv")
    rid = "TEST-MA-arrangement"
    rows = [r for r in read_rows(DATA / "good.csv") if r["id"] == rid]
    rows[0]["status"], rows[0]["signed_on"] = "signed", "2024-06-01"
    move = lambda: agreements.transition(fresh_store, rid, "initialled", date=dt.date(2024, 5, 1))  # noqa: E731
    _land_first(monkeypatch, imports, move)
    agreements.import_rows(fresh_store, rows, source="race.csv")
    assert _chain(fresh_store, rid) == [
        (1, None, "negotiating"), (2, "negotiating", "initialled"), (3, "initialled", "signed"),
    ]  # fmt: skip


def test_the_first_restricted_instrument_moves_on_once_created(fresh_store):
    """Its create makes the restricted graphs: every read after it (the transition's plan) sees them, on every
    server (the queries name those graphs before they exist)."""
    rid = "TEST-RESTRICTED-FIRST"
    agreements.create(fresh_store, {"id": rid, "kind": "agreement", "title": "Accord restreint de test",
                                    "partner_country": "MA", "confidentiality": "restricted", "status": "negotiating",
                                    "source": "https://example.org/restricted"})  # fmt: skip
    agreements.transition(fresh_store, rid, "signed", date=dt.date(2014, 3, 4), by="test")
    events = agreements.history(fresh_store, rid, include_restricted=True)
    assert [(e["from"], e["to"]) for e in events] == [(None, "negotiating"), ("negotiating", "signed")]
