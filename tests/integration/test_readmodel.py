"""The register's read model answers what SPARQL answers: every filter, both views (cleared, public), the
counts per status and kind, pending approval, signed and not in force; after creates, transitions, imports,
an instrument moved out of the public view, and writes the model is not told about (which rebuild it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import queries
from kg.services import agreements, competence
from kg.services.agreements import readmodel, reads, views
from kg.services.competence.instruments import entry, lookup_sparql
from vocab.namespaces import AGREEMENTS_PUBLIC_GRAPH, DCI

DATA = Path(__file__).resolve().parents[1] / "data" / "register"
TODAY = dt.date(2025, 6, 1)
FILTERS = [
    {},
    {"status": "signed"},
    {"status": "published"},
    {"status": "approval_pending"},
    {"kind": "protocol"},
    {"country": "ma"},
    {"country": "LB", "kind": "agreement"},
    {"topic": "internal-security"},
    {"stalled_years": 5},
    {"stalled_years": 10, "status": "signed"},
    {"country": "NZ"},
]


def text(v) -> str | None:
    return None if v is None else str(v)


def sparql_rows(store, name: str, cleared: bool, **params) -> list[dict]:
    graphs = reads._visible(store, cleared)
    return [
        {k: text(v) for k, v in r.items()} for r in store.select(queries.load(name).inline(**params), graphs=graphs)
    ]


def assert_same_as_sparql(store) -> None:
    for cleared in (True, False):
        for f in FILTERS:
            mine = agreements.list_instruments(store, include_restricted=cleared, today=TODAY, limit=None, **f)
            theirs = reads.list_sparql(store, include_restricted=cleared, today=TODAY, **f)
            assert mine["items"] == theirs["items"], (cleared, f)
            assert mine["total"] == theirs["total"]
        counts = [
            {"status": r["status"], "kind": r["kind"], "count": int(r["count"])}
            for r in sparql_rows(store, "counts-by-status-kind", cleared)
        ]
        assert views.counts_by_status_kind(store, cleared=cleared) == counts
        pending = [
            {
                "id": r["id"],
                "title": r["title"],
                "country": r["country"],
                "signed_on": r["signedOn"],
                "approval_law": r["approvalLaw"],
            }
            for r in sparql_rows(store, "pending-approval", cleared)
        ]
        assert views.pending_approval(store, cleared=cleared) == pending
        cutoff, today = Literal("2015-06-01", datatype=XSD.date), Literal(TODAY.isoformat(), datatype=XSD.date)
        stalled = [
            {
                "id": r["id"],
                "title": r["title"],
                "country": r["country"],
                "status": r["status"],
                "signed_on": r["signedOn"],
                "years": int(r["years"]),
            }
            for r in sparql_rows(store, "signed-not-in-force", cleared, cutoff=cutoff, today=today)
        ]
        assert views.signed_not_in_force(store, "2015-06-01", TODAY.isoformat(), cleared=cleared) == stalled


def members(found) -> list:
    return sorted(found.members, key=lambda c: c.id)


def assert_case_file_instruments_same_as_sparql(store) -> None:
    """The case file's instruments per country (read model) equal country-instruments.rq's, both views, on
    dates before, during and after the register's events."""
    index = competence.build_index(store)
    readmodel.current(store)
    assert readmodel.fresh(store) is not None  # the lookup below reads the model, not the store
    countries = sorted(index.casedata.country_codes)
    seen = 0
    for cleared in (True, False):
        for at in (dt.date(2005, 1, 1), dt.date(2012, 6, 1), TODAY):
            mine = competence.instruments_lookup(store, index, cleared=cleared)
            theirs = lookup_sparql(store, index, cleared=cleared)
            for country in countries:
                got = [entry(index, c, at, "fr") for c in members(mine(country))]
                assert got == [entry(index, c, at, "fr") for c in members(theirs(country))], (cleared, at, country)
                seen += sum(e is not None for e in got)
    assert seen > 0


def record(rid: str, **extra: str) -> dict[str, str]:
    base = {
        "id": rid,
        "kind": "agreement",
        "title": f"Accord de test {rid}",
        "partner_country": "MA",
        "confidentiality": "public",
        "source": "https://example.org/readmodel",
    }
    base.update(extra)
    return base


def test_the_read_model_answers_what_sparql_answers(built_store):
    assert_same_as_sparql(built_store)
    assert_case_file_instruments_same_as_sparql(built_store)
    reg = readmodel.current(built_store)
    assert len(reg.rows(True)) == len(reg.rows(False)) == 21  # the bundled register is public


def test_kept_in_step_by_creates_transitions_and_imports(fresh_store):
    store = fresh_store
    reg = readmodel.current(store)
    agreements.create(store, record("TEST-RM-A", status="negotiating"))
    agreements.create(store, record("TEST-RM-B", status="signed", signed_on="2012-04-02", kind="protocol"))
    agreements.create(store, record("TEST-RM-R", status="signed", signed_on="2011-01-01", confidentiality="restricted"))
    agreements.transition(store, "TEST-RM-A", "signed", date=dt.date(2013, 5, 6), by="test")
    agreements.transition(store, "TEST-RM-B", "approval_pending", date=dt.date(2014, 1, 1), by="test")
    if store.kind == "embedded":  # one writing process: the writes moved the model with them, no rebuild
        assert readmodel.current(store) is reg
    else:  # another process may write a remote store between two reads: the model is built again
        assert readmodel.current(store) is not reg
    assert "TEST-RM-A" in {i["id"] for i in agreements.list_instruments(store, status="signed", limit=None)["items"]}
    assert_same_as_sparql(store)
    agreements.import_file(store, DATA / "good.csv")
    assert_same_as_sparql(store)
    assert_case_file_instruments_same_as_sparql(store)


def test_an_instrument_moved_out_of_the_public_view_leaves_it(fresh_store):
    store = fresh_store
    agreements.create(store, record("TEST-RM-P", status="signed", signed_on="2010-02-03"))
    agreements.create(store, record("TEST-RM-C", kind="technical_arrangement", parent_id="TEST-RM-P"))
    public = {i["id"]: i for i in agreements.list_instruments(store, country="MA", limit=None)["items"]}
    assert public["TEST-RM-C"]["parent_id"] == "TEST-RM-P"
    agreements.import_rows(
        store,
        [record("TEST-RM-C", kind="technical_arrangement", parent_id="TEST-RM-P", confidentiality="restricted")],
        source="test",
    )
    public = {i["id"] for i in agreements.list_instruments(store, country="MA", limit=None)["items"]}
    cleared = {
        i["id"] for i in agreements.list_instruments(store, country="MA", limit=None, include_restricted=True)["items"]
    }
    assert "TEST-RM-C" not in public and "TEST-RM-C" in cleared
    assert_same_as_sparql(store)
    assert_case_file_instruments_same_as_sparql(store)


def test_a_write_it_was_not_told_about_rebuilds_it(fresh_store):
    """A write outside the agreement services (another process, a load): the generation tells."""
    store = fresh_store
    agreements.create(store, record("TEST-RM-X", status="signed", signed_on="2016-07-08"))
    reg = readmodel.current(store)
    iri = URIRef(agreements.show(store, "TEST-RM-X")["iri"])
    signed = URIRef("https://w3id.org/dci-kg/id/status/signed")
    assert (iri, DCI.status, signed, AGREEMENTS_PUBLIC_GRAPH) in set(store.quads(AGREEMENTS_PUBLIC_GRAPH))
    store.apply([], [(iri, DCI.status, signed, AGREEMENTS_PUBLIC_GRAPH)])
    assert readmodel.current(store) is not reg
    item = next(
        i for i in agreements.list_instruments(store, country="MA", limit=None)["items"] if i["id"] == "TEST-RM-X"
    )
    assert item["status"] is None
    assert_same_as_sparql(store)


@pytest.mark.parametrize("limit,offset", [(1, 0), (3, 2), (5, 17), (50, 0)])
def test_pages_put_together_are_the_whole_list(built_store, limit, offset):
    whole = agreements.list_instruments(built_store, include_restricted=True, limit=None)["items"]
    got = agreements.list_instruments(built_store, include_restricted=True, limit=limit, offset=offset)
    assert got["items"] == whole[offset : offset + limit]
    assert got["total"] == len(whole) and got["limit"] == limit and got["offset"] == offset


def test_the_same_on_a_synthetic_register_with_restricted_instruments(fresh_store):
    """300 generated instruments (bench.synthetic: restricted ones, parents, topics, long histories)."""
    from bench import synthetic
    from kg.services.agreements import lifecycle

    store = fresh_store
    items = synthetic.generate(300, lifecycle.load(store), synthetic.topic_codes(store))
    store.bulk_add(synthetic.to_quads(store, items))
    reg = readmodel.current(store)
    assert len(reg.rows(True)) - len(reg.rows(False)) == sum(it.row["confidentiality"] == "restricted" for it in items)
    assert_same_as_sparql(store)
    some = next(it.row["id"] for it in items if it.row["status"] == "signed" and it.row["confidentiality"] == "public")
    agreements.transition(store, some, "approval_pending", date=TODAY, by="test")
    assert_same_as_sparql(store)
    assert_case_file_instruments_same_as_sparql(store)


# not ("endpoint", "virtuoso"): there a transition right after a create reads none of the instrument's quads
# (instrument-quads.rq answers nothing, the same text less any one comment line answers them), also before the
# store kept its change log; the store's log on Virtuoso is tested in test_remote_store.py
@pytest.fixture(params=[("owner", "oxigraph"), ("endpoint", "oxigraph")], ids=["one-owner", "endpoint"])
def one_owner(request, sparql_servers, reference_store, tmp_path):
    """Two stores as two processes of `serve --workers 2` see one store: the owner of a store directory (one
    `oxigraph serve`, the generation file and its log shared on this host), or a SPARQL server given by
    `--endpoint` (no local owner: the change log is kept in the store itself, kg/store/changelog.py)."""
    from kg.store.remote import RemoteStore
    from tests.conftest import reset

    mode, kind = request.param
    endpoints = sparql_servers.endpoints(kind, "fresh")
    path = tmp_path / "store" if mode == "owner" else None
    a, b = (RemoteStore(*endpoints, lock_dir=tmp_path / "locks", path=path) for _ in range(2))
    reset(a, reference_store.quads())
    yield a, b
    a.close()
    b.close()


def test_a_process_catches_up_with_another_ones_writes_from_the_log(one_owner, monkeypatch):
    a, b = one_owner
    builds = []
    real_build = readmodel.build
    monkeypatch.setattr(readmodel, "build", lambda store: builds.append(store) or real_build(store))
    readmodel.current(b)
    assert builds == [b]
    agreements.create(a, record("TEST-RM-L", status="negotiating"))
    agreements.transition(a, "TEST-RM-L", "signed", date=dt.date(2013, 5, 6), by="test")
    agreements.create(a, record("TEST-RM-LR", status="signed", signed_on="2011-01-01", confidentiality="restricted"))
    caught = readmodel.fresh(b)  # without waiting: the few instruments written are read again at once
    assert caught is not None and builds == [b]
    assert caught.rows(True)[agreements.show(a, "TEST-RM-L")["iri"]].status == "signed"
    assert_same_as_sparql(b)
    assert builds == [b]
    agreements.import_file(a, DATA / "good.csv")
    assert_same_as_sparql(b)
    assert builds == [b]


def test_a_write_to_the_terms_the_rows_are_coded_with_rebuilds_the_model(one_owner, monkeypatch):
    a, b = one_owner
    readmodel.current(b)
    builds = []
    real_build = readmodel.build
    monkeypatch.setattr(readmodel, "build", lambda store: builds.append(store) or real_build(store))
    published = URIRef("https://w3id.org/dci-kg/id/status/published")
    graph = next(q[3] for q in a.quads() if q[0] == published and q[1] == DCI.code)
    renamed = [(published, DCI.code, Literal("published-renamed"), graph)]
    a.apply(renamed, [(published, DCI.code, Literal("published"), graph)])
    readmodel.current(b)
    assert builds == [b]
    assert "published-renamed" in {r.status for r in readmodel.current(b).rows(True).values()}
