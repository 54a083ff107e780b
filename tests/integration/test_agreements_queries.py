"""The negotiator questions, each a named .rq file, asked of the bundled register (plus test rows)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from kg import gate, queries
from kg.services import agreements
from loaders.rdf_files import read_rdf
from vocab.namespaces import AGREEMENTS_PUBLIC_GRAPH

DATA = Path(__file__).resolve().parents[1] / "data" / "register"


def ask(store, name: str, **params) -> list[dict]:
    q = queries.load(name)
    rows = store.select(q.inline(**params))
    return [{k: (None if v is None else str(v)) for k, v in r.items()} for r in rows]


def day(s: str) -> Literal:
    return Literal(s, datatype=XSD.date)


def test_status_of_every_instrument_with_its_country(built_store):
    rows = ask(built_store, "status-by-country")
    assert len(rows) == 21
    ae = next(r for r in rows if r["id"] == "AE-2009-05-26-agreement")
    assert ae["countryFr"] == "Émirats arabes unis" and ae["status"] == "published"


def test_signed_but_not_in_force_for_more_than_n_years(built_store):
    rows = ask(built_store, "signed-not-in-force", cutoff=day("2015-06-01"), today=day("2025-06-01"))
    ids = {r["id"] for r in rows}
    # awaiting approval since 2007-2010, with no in-force or final status recorded
    assert {"BH-2007-11-30-agreement", "SA-2008-02-24-agreement", "HR-2007-10-10-agreement",
            "AL-2008-05-15-agreement", "LB-2010-01-21-agreement"} <= ids  # fmt: skip
    assert "AE-2009-05-26-agreement" not in ids  # published
    bh = next(r for r in rows if r["id"] == "BH-2007-11-30-agreement")
    assert bh["years"] == "17"
    # the list service's --stalled-years gives the same instruments
    listed = agreements.list_instruments(built_store, stalled_years=10, today=__import__("datetime").date(2025, 6, 1))
    assert {i["id"] for i in listed["items"]} == ids


def test_pending_parliamentary_approval(built_store):
    rows = ask(built_store, "pending-approval")
    assert {r["id"] for r in rows} == {
        "BH-2007-11-30-agreement", "SA-2008-02-24-agreement", "HR-2007-10-10-agreement",
        "AL-2008-05-15-agreement", "LB-2010-01-21-agreement",
    }  # fmt: skip


def test_arrangements_under_an_agreement(built_store):
    rows = ask(built_store, "arrangements-under", parentId=Literal("IT-1997-10-03-agreement"))
    assert [(r["id"], r["kind"]) for r in rows] == [("IT-2002-07-01-exchange-of-letters", "exchange_of_letters")]
    assert ask(built_store, "arrangements-under", parentId=Literal("AE-2009-05-26-agreement")) == []


def test_countries_covered_by_an_ssi_without_an_agreement_in_force(built_store):
    rows = ask(built_store, "covered-without-agreement", today=day("2012-01-01"))
    countries = {r["country"] for r in rows}
    assert {"LV", "LT", "EE"} <= countries  # covered from Riga in 2012, no agreement in the register
    assert "RU" not in countries or not any(r["country"] == "RU" for r in rows if r["ssi"])
    later = {r["country"] for r in ask(built_store, "covered-without-agreement", today=day("2018-01-01"))}
    assert "LV" not in later  # the Riga SSI closed in 2015


def test_counts_by_status_and_kind(built_store):
    rows = ask(built_store, "counts-by-status-kind")
    counts = {(r["status"], r["kind"]): int(r["count"]) for r in rows}
    assert counts[("approval_pending", "agreement")] == 5
    assert counts[("published", "exchange_of_letters")] == 1
    assert sum(counts.values()) == 21


def test_history_of_one_instrument(fresh_store):
    import datetime as dt

    agreements.transition(fresh_store, "HR-2007-10-10-agreement", "approved", date=dt.date(2009, 7, 1), by="test")
    rows = ask(fresh_store, "instrument-history", id=Literal("HR-2007-10-10-agreement"))
    assert [(r["sequence"], r["from"], r["to"]) for r in rows] == [
        ("1", None, "approval_pending"),
        ("2", "approval_pending", "approved"),
    ]


def test_instruments_whose_term_ends_or_renews_within_n_months(fresh_store):
    agreements.import_file(fresh_store, DATA / "good.json")  # in force 2013-05-01
    gate.commit(fresh_store, read_rdf(DATA / "questions.ttl", AGREEMENTS_PUBLIC_GRAPH))
    # five-year term with tacit renewal: renews 2018-05 and 2023-05
    soon = ask(fresh_store, "term-ending", today=day("2023-01-15"), months=Literal(6))
    assert [(r["id"], r["monthsLeft"]) for r in soon] == [("TEST-TN-agreement", "4")]
    assert ask(fresh_store, "term-ending", today=day("2023-01-15"), months=Literal(3)) == []
    after = ask(fresh_store, "term-ending", today=day("2023-06-15"), months=Literal(60))
    assert [r["monthsLeft"] for r in after] == ["59"]


def test_history_rows_are_not_repeated_when_an_agent_is_described_in_both_history_graphs(fresh_store):
    """Each history graph describes the agents it names (a reader sees only the public one); Oxigraph's
    union of graphs keeps both copies of such a triple, which must not repeat the events."""
    import datetime as dt

    from rdflib.namespace import PROV

    from vocab.namespaces import HISTORY_GRAPH, HISTORY_RESTRICTED_GRAPH

    agreements.transition(fresh_store, "HR-2007-10-10-agreement", "approved", date=dt.date(2009, 7, 1), by="test")
    agents = {o for _s, p, o, _g in fresh_store.quads(HISTORY_GRAPH) if p == PROV.wasAssociatedWith}
    copies = [(s, p, o, HISTORY_RESTRICTED_GRAPH) for s, p, o, _g in fresh_store.quads(HISTORY_GRAPH) if s in agents]
    assert copies
    fresh_store.apply(copies, [])
    rows = ask(fresh_store, "instrument-history", id=Literal("HR-2007-10-10-agreement"))
    assert [r["sequence"] for r in rows] == ["1", "2"]
