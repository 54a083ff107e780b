"""Writing one instrument: a new one, or a status change along the life-cycle."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import gate, queries
from kg.services.agreements import lifecycle, readmodel
from kg.services.agreements.imports import IMPORT_AGENT, current_states, event_batch, import_rows, infer_after
from kg.services.agreements.lifecycle import IllegalTransition, StatusChange
from kg.services.agreements.reads import NotFound, show
from kg.store import Store
from vocab.namespaces import DCI, agreements_graph, history_graph


class AlreadyExists(ValueError):
    """create() was given the id of an instrument the store already holds."""




def create(store: Store, record: dict[str, str], *, by: str = IMPORT_AGENT) -> dict:
    """Create one instrument from a register record (the same fields as a register row)."""
    rid = (record.get("id") or "").strip()
    if rid and current_states(store, rid):
        raise AlreadyExists(f"an instrument with id {rid!r} already exists (import the register to update it)")
    import_rows(store, [record], source="create", by=by)
    return show(store, rid, include_restricted=True)  # the creator (a negotiator) sees what it wrote


def transition(
    store: Store,
    instrument_id: str,
    status: str,
    *,
    date: dt.date,
    note: str | None = None,
    by: str = "dci-kg",
    source: str | None = None,
) -> dict:
    """Move an instrument to `status` on `date`; raises IllegalTransition naming both statuses and the
    allowed next ones. The matching register date (signed, approved, in force, ended) is filled if empty."""
    before = store.generation
    states = current_states(store, instrument_id)
    if instrument_id not in states:
        raise NotFound(f"no instrument with id {instrument_id!r}")
    st = states[instrument_id]
    lc = lifecycle.load(store)
    lc.check(instrument_id, st["status"], status)
    if st["status"] == status:
        raise IllegalTransition(f"{instrument_id} is already {status}")
    iri: URIRef = st["iri"]
    graph = agreements_graph(st["confidentiality"])
    ev = StatusChange(instrument_id, st["last"] + 1, st["status"], status, date, by, source, note)
    add = event_batch(ev, lc, history_graph(st["confidentiality"]))
    add.append((iri, DCI.status, lc.statuses[status], graph))
    remove = [(iri, DCI.status, lc.statuses[st["status"]], graph)] if st["status"] else []
    prop = lc.date_property.get(status)
    if prop is not None and not store.ask(queries.load("instrument-has-date").inline(instrument=iri, property=prop)):
        add.append((iri, prop, Literal(date.isoformat(), datatype=XSD.date), graph))
    gate.commit(store, add, remove)
    infer_after(store, add, remove)
    readmodel.written(store, add, remove, before)
    return {"id": instrument_id, "from": st["status"], "to": status, "date": date.isoformat(), "sequence": ev.sequence}
