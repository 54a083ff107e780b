"""Writing one instrument: a new one, or a status change along the life-cycle."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.services import commits
from kg.services.agreements import lifecycle
from kg.services.agreements.imports import (
    CONFLICT_RETRIES,
    IMPORT_AGENT,
    check_same_write,
    current_states,
    event_batch,
    instrument_quads,
    plan_import,
)
from kg.services.agreements.lifecycle import IllegalTransition, StatusChange
from kg.services.agreements.reads import NotFound, show, version
from kg.services.agreements.revisions import Revisions
from kg.services.versions import VersionMismatch, matches, quads_version
from kg.store import Store, WriteConflict
from vocab.namespaces import DCI, agreements_graph, history_graph


class AlreadyExists(ValueError):
    """create() was given the id of an instrument the store already holds."""


def create(store: Store, record: dict[str, str], *, by: str = IMPORT_AGENT) -> dict:
    """Create one instrument from a register record (the same fields as a register row). The write is
    conditional on the id being new where the store writes: of two concurrent creations one lands, the
    other gets AlreadyExists."""
    rid = (record.get("id") or "").strip()
    if rid and current_states(store, rid):
        raise AlreadyExists(f"an instrument with id {rid!r} already exists (import the register to update it)")
    commits.recover(store)
    try:
        plan = plan_import(store, [record], source="create", by=by)
        # planned after another writer created the id, the row would be an update (or "unchanged"): never, here
        if plan.report.created != [rid]:
            raise WriteConflict(f"{rid} was created meanwhile")
        commits.commit(store, plan.add, plan.remove, expect=plan.expect, source="create", by=by)
    except WriteConflict:
        raise AlreadyExists(f"an instrument with id {rid!r} was created meanwhile by another writer") from None
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
    if_match: str | None = None,
) -> dict:
    """Move an instrument to `status` on `date`; raises IllegalTransition naming both statuses and the
    allowed next ones. The matching register date (signed, approved, in force, ended) is filled if empty.

    With `if_match` (an ETag the caller read), the change is made only if the instrument is still at that
    version, checked by the store where it writes: VersionMismatch otherwise. Without it, a change that
    loses a race with another writer is checked again against the new state (the life-cycle may then
    refuse it)."""
    args = (store, instrument_id, status, date, note, by, source, if_match)
    for _ in range(CONFLICT_RETRIES - 1 if if_match is None else 0):
        try:
            return _transition(*args)
        except WriteConflict:
            continue  # planned again on the new state
    try:
        return _transition(*args)
    except WriteConflict as exc:
        if if_match is None:
            raise
        raise VersionMismatch(if_match, version(store, instrument_id, include_restricted=True)) from exc


def _transition(
    store: Store,
    instrument_id: str,
    status: str,
    date: dt.date,
    note: str | None,
    by: str,
    source: str | None,
    if_match: str | None,
) -> dict:
    states = current_states(store, instrument_id)
    if instrument_id not in states:
        raise NotFound(f"no instrument with id {instrument_id!r}")
    st = states[instrument_id]
    iri: URIRef = st["iri"]
    read = instrument_quads(store, iri)
    lc = lifecycle.load(store)
    check_same_write(read, iri, st, lc)
    if if_match is not None and not matches(if_match, quads_version(read)):
        raise VersionMismatch(if_match, quads_version(read))
    lc.check(instrument_id, st["status"], status)
    if st["status"] == status:
        raise IllegalTransition(f"{instrument_id} is already {status}")
    graph = agreements_graph(st["confidentiality"])
    ev = StatusChange(instrument_id, st["last"] + 1, st["status"], status, date, by, source, note)
    add = event_batch(ev, lc, history_graph(st["confidentiality"]))
    add.append((iri, DCI.status, lc.statuses[status], graph))
    remove = [(iri, DCI.status, lc.statuses[st["status"]], graph)] if st["status"] else []
    prop = lc.date_property.get(status)
    if prop is not None and not any(q[0] == iri and q[1] == prop for q in read):
        add.append((iri, prop, Literal(date.isoformat(), datatype=XSD.date), graph))
    revisions = Revisions()
    revisions.changed(iri, read, graph)
    commits.commit(
        store, add + revisions.add, remove + revisions.remove, expect=revisions.expect, source=instrument_id, by=by
    )
    return {"id": instrument_id, "from": st["status"], "to": status, "date": date.isoformat(), "sequence": ev.sequence}
