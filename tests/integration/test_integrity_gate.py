"""The gate sees what a write can break: removing a country, a status concept, an organisation or a class
that is in use is refused with the violations of the nodes that used it; removing one that is unused
passes; moving a class in the hierarchy re-validates its instances; the nodes looked at are only the ones
linked to the change."""

from __future__ import annotations

import uuid

import pytest
from rdflib import RDF, RDFS, URIRef

from kg import gate
from kg.gate.affected import affected
from kg.store import EmbeddedStore
from vocab.namespaces import DCI, ID, REFERENCE_GRAPH

PROBLEM = "application/problem+json"


def own_quads(store: EmbeddedStore, node: URIRef) -> list:
    return [q for q in store.quads() if q[0] == node]


def users(store: EmbeddedStore, node: URIRef) -> set[str]:
    return {str(r["x"]) for r in store.select(f"SELECT DISTINCT ?x WHERE {{ ?x ?p <{node}> FILTER(isIRI(?x)) }}")}


IN_USE = [
    ("country", ID["country/AE"], "partner country", {"instrument/AE-2009-05-26-agreement"}),
    ("status concept", ID["status/published"], "is not a concept of", {"instrument/AE-2009-05-26-agreement",
                                                                       "instrument/AE-2009-05-26-agreement/event/1"}),
    ("organisation", ID["org/DGGN"], "must be an organisation", {"text/INTA1319065A/art/1/item/a"}),
    ("kind class", DCI.Protocol, "register kind", {"instrument/LB-1993-10-14-protocol",
                                                   "instrument/SA-1980-11-02-protocol"}),
]  # fmt: skip


@pytest.mark.parametrize(("what", "node", "message", "refused"), IN_USE, ids=[i[0] for i in IN_USE])
@pytest.mark.parametrize("engine", ["turbo", "pyshacl"])
def test_removing_something_in_use_is_refused_with_the_violations(fresh_store, what, node, message, refused, engine):
    before = set(fresh_store.quads())
    with pytest.raises(gate.WriteRejected) as exc:
        gate.commit(fresh_store, [], own_quads(fresh_store, node), engine_name=engine)
    hits = {v.focus.removeprefix(str(ID)) for v in exc.value.violations if message in v.message}
    assert refused <= hits, (what, [str(v) for v in exc.value.violations])
    assert {v.focus for v in exc.value.violations} <= users(fresh_store, node)  # only the users are blamed
    assert set(fresh_store.quads()) == before


UNUSED = [("country", ID["country/AQ"]), ("status concept", ID["status/suspended"]),
          ("kind class", DCI.AdministrativeArrangement)]  # fmt: skip


@pytest.mark.parametrize(("what", "node"), UNUSED, ids=[u[0] for u in UNUSED])
def test_removing_something_unused_passes(fresh_store, what, node):
    quads = own_quads(fresh_store, node)
    assert quads and not {u for u in users(fresh_store, node) if "/instrument/" in u}
    gate.commit(fresh_store, [], quads)
    assert own_quads(fresh_store, node) == []


def test_removing_only_the_type_of_a_used_country_is_refused(fresh_store):
    with pytest.raises(gate.WriteRejected, match="partner country"):
        gate.commit(fresh_store, [], [q for q in own_quads(fresh_store, ID["country/AE"]) if q[1] == RDF.type])


def test_moving_a_class_under_a_shape_target_revalidates_its_instances(fresh_store):
    widget = URIRef("https://example.org/test#Widget")
    thing = URIRef(f"{ID}test/widget-{uuid.uuid4().hex[:6]}")
    gate.commit(fresh_store, [(thing, RDF.type, widget, REFERENCE_GRAPH)])  # no shape targets a Widget
    before = set(fresh_store.quads())
    with pytest.raises(gate.WriteRejected) as exc:
        gate.commit(fresh_store, [(widget, RDFS.subClassOf, DCI.Agreement, REFERENCE_GRAPH)])
    assert any(v.focus == str(thing) and "register id" in v.message for v in exc.value.violations)
    assert set(fresh_store.quads()) == before


def test_the_nodes_looked_at_follow_the_change_not_the_store(fresh_store):
    ae = ID["country/AE"]
    assert affected(fresh_store, [], own_quads(fresh_store, ID["country/AQ"]), [ID["country/AQ"]]) == []
    assert {str(n) for n in affected(fresh_store, [], own_quads(fresh_store, ae), [ae])} == users(fresh_store, ae)
    # a label change breaks no one else: nothing more is validated
    label = [q for q in own_quads(fresh_store, ae) if q[1] == URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")]
    assert affected(fresh_store, [], label[:1], [ae]) == []
    # moved between graphs in one batch (a confidentiality change moves triples): not a removal
    moved = [(s, p, o, REFERENCE_GRAPH) for s, p, o, _g in own_quads(fresh_store, ae)]
    assert affected(fresh_store, moved, own_quads(fresh_store, ae), [ae]) == []


# -- over HTTP: a parent made restricted under a public child ----------------------------------------------


def record(rid: str, **extra) -> dict:
    return {
        "id": rid,
        "kind": "agreement",
        "title": "Accord de test relatif à la sécurité intérieure",
        "partner_country": "MA",
        "status": "negotiating",
        "confidentiality": "public",
        "source": ["https://example.org/test-source"],
        **extra,
    }


def test_making_a_parent_restricted_under_a_public_child_is_refused(api):
    parent, child = f"TEST-GATE-PARENT-{uuid.uuid4().hex[:8]}", f"TEST-GATE-CHILD-{uuid.uuid4().hex[:8]}"
    neg = api.client("negotiator")
    assert neg.post("/agreements", json=record(parent)).status_code == 201
    r = neg.post("/agreements", json=record(child, kind="technical_arrangement", parent_id=parent))
    assert r.status_code == 201, r.text
    r = neg.post("/import", json=[record(parent, confidentiality="restricted")])
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), r.text
    assert any(child in v and "restricted instrument" in v for v in r.json()["violations"]), r.json()
    assert api.client().get(f"/agreements/{parent}").json()["confidentiality"] == "public"  # unchanged
    assert api.client().get(f"/agreements/{child}").json()["parent_id"] == parent
