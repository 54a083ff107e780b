"""Importing a register: rows planned against the store (created, updated, unchanged, status changes),
written through the gate, inferences refreshed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from kg import queries
from kg.services import commits
from kg.services.agreements import lifecycle
from kg.services.agreements.lifecycle import Lifecycle, StatusChange
from kg.services.agreements.revisions import Revisions, without_revisions
from kg.store import Expect, Store, WriteConflict
from loaders.register import (
    OWNED,
    Existing,
    MandateRef,
    RegisterContext,
    check_rows,
    instrument_graph,
    read_rows,
)
from vocab.namespaces import DCI, agreements_graph, history_graph
from vocab.terms import Quad, as_date

IMPORT_AGENT = "register import"


@dataclass
class ImportReport:
    source: str
    rows: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    status_changes: int = 0
    interrupted: list[dict] = field(default_factory=list)  # earlier writes completed first (kg.services.commits)
    # rows left as the store has them: their status is behind the store's (an older copy of the register)
    behind: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "interrupted": self.interrupted,
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "status_changes": self.status_changes,
            "behind": self.behind,
        }


def is_behind(lc: Lifecycle, file_status: str | None, store_status: str | None) -> bool:
    """Whether a row's status is behind the store's: the store has moved on from it along the life-cycle
    (or the row's status is unknown), so the row is an older copy of what the store holds."""
    if store_status is None or file_status == store_status:
        return False
    if file_status is None:
        return True
    if file_status not in lc.statuses or file_status in lc.allowed_next.get(store_status, set()):
        return False  # an unknown status is named by the check; an allowed step is recorded
    seen, todo = {file_status}, [file_status]
    while todo:
        for nxt in lc.allowed_next.get(todo.pop(), set()):
            if nxt == store_status:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def register_context(store: Store, instrument_id: str | None = None) -> RegisterContext:
    """The vocabulary a register row is checked against, and what the store already holds."""
    lc = lifecycle.load(store)
    kinds = {str(r["code"]): r["class"] for r in store.select(queries.load("register-kinds").text)}
    vocab: dict[str, dict[str, URIRef]] = {
        "topic": {}, "confidentiality": {}, "organisation": {}, "certainty": {}, "relation": {}
    }  # fmt: skip
    for r in store.select(queries.load("register-vocabulary").text):
        code = str(r["code"]).upper() if str(r["vocab"]) == "organisation" else str(r["code"])
        vocab[str(r["vocab"])].setdefault(code, r["term"])
    mandates = [
        MandateRef(
            r["mandate"],
            str(r["article"]),
            str(r["letter"]),
            str(r["nor"]),
            as_date(r["from"]),
            as_date(r["to"]),
        )
        for r in store.select(queries.load("register-mandates").text)
    ]
    ctx = RegisterContext(
        kinds=kinds,
        statuses=lc.statuses,
        allowed_next=lc.allowed_next,
        topics=vocab["topic"],
        organisations=vocab["organisation"],
        mandates=mandates,
        confidentiality=vocab["confidentiality"],
        certainties=vocab["certainty"],
        relations=vocab["relation"],
    )
    ctx.existing = {k: Existing(v["kind"], v["status"]) for k, v in current_states(store, instrument_id).items()}
    return ctx


def current_states(
    store: Store, instrument_id: str | None = None, graphs: list[URIRef] | None = None
) -> dict[str, dict]:
    q = queries.load("instrument-state")
    rows = store.select(q.inline(id=Literal(instrument_id) if instrument_id else None), graphs=graphs)
    return {
        str(r["id"]): {
            "iri": r["instrument"],
            "kind": str(r["kind"]),
            "status": text_of(r["status"]),
            "confidentiality": str(r["confidentiality"]),
            "last": int(r["lastSequence"]) if r["lastSequence"] is not None else 0,
        }
        for r in rows
    }


def instrument_quads(store: Store, iri: URIRef) -> list[Quad]:
    q = queries.load("instrument-quads")
    return [(r["s"], r["p"], r["o"], r["g"]) for r in store.select(q.inline(instrument=iri))]


def check_same_write(read: list[Quad], iri: URIRef, state: dict, lc: Lifecycle) -> None:
    """Raise WriteConflict unless `state` (current_states, read first) describes what `read` (its quads, read
    after) holds. A write is planned from both but conditional only on the revision in `read`: a write that
    lands between the two reads would otherwise be planned over (a second change from the same status, a
    repeated sequence number) and still pass the condition."""
    status = {q[2] for q in read if q[0] == iri and q[1] == DCI.status}
    graphs = {q[3] for q in read if q[0] == iri and q[1] == DCI.key}
    sequences = [int(q[2]) for q in read if q[1] == DCI.sequence]
    expected = {lc.statuses[state["status"]]} if state["status"] in lc.statuses else set()
    if (
        status != expected
        or max(sequences, default=0) != state["last"]
        or graphs != {agreements_graph(state["confidentiality"])}
    ):
        raise WriteConflict(f"{iri} changed while this write was prepared: nothing was written; re-read it")


def import_file(store: Store, path: Path, *, by: str = IMPORT_AGENT) -> ImportReport:
    """Import a register file (.csv or .json): all rows or none; see loaders.register for the format."""
    return import_rows(store, read_rows(path), source=str(path), by=by)


def import_rows(
    store: Store, rows: list[dict[str, str]], *, source: str, by: str = IMPORT_AGENT, retries: int = 3
) -> ImportReport:
    """Check every row, then write the whole batch through the gate in one transaction.

    The same id updates the instrument (never a duplicate); a changed status becomes a status change
    in the history; importing the same rows again changes nothing. The write is conditional on the
    revision of every instrument it changes (a concurrent writer's change is never overwritten: the import
    is planned again, then refused with WriteConflict if the race repeats). An earlier write cut off
    before its inferences were drawn is completed first and named in the report."""
    commits.recover(store)
    interrupted = commits.take_cut_off(store, source)
    for attempt in range(retries):
        try:
            plan = plan_import(store, rows, source=source, by=by)
            commits.commit(store, plan.add, plan.remove, expect=plan.expect, source=source, by=by)
            break
        except WriteConflict:
            if attempt == retries - 1:
                raise
    plan.report.interrupted = [i.as_dict() for i in interrupted]
    return plan.report


CONFLICT_RETRIES = 3  # an unconditional write (no If-Match) is planned again when another writer got there first


@dataclass
class Plan:
    add: list[Quad]
    remove: list[Quad]
    report: ImportReport
    expect: list[Expect]


def plan_import(store: Store, rows: list[dict[str, str]], *, source: str, by: str = IMPORT_AGENT) -> Plan:
    """The quads an import adds and removes and the revisions it expects (nothing is written); raises
    RegisterError on bad rows. A row whose status is behind the store's is left as the store has it, and
    reported (`behind`)."""
    ctx = register_context(store)
    lc = lifecycle.load(store)
    states = current_states(store)
    behind = []
    for i, row in enumerate(rows, start=1):
        old = states.get((row.get("id") or "").strip())
        status = (row.get("status") or "").strip() or None
        if old is not None and is_behind(lc, status, old["status"]):
            behind.append({"id": row["id"].strip(), "row": getattr(row, "number", i), "file_status": status,
                           "store_status": old["status"]})  # fmt: skip
    left = {b["id"] for b in behind}
    instruments = check_rows(source, [r for r in rows if (r.get("id") or "").strip() not in left], ctx)
    report = ImportReport(source=source, rows=len(instruments) + len(behind), behind=behind)
    add: list[Quad] = []
    remove: list[Quad] = []
    revisions = Revisions()
    for inst in instruments:
        old = states.get(inst.id)
        target = agreements_graph(inst.confidentiality)
        hist = history_graph(inst.confidentiality)
        read = instrument_quads(store, inst.iri) if old else []
        if old:
            check_same_write(read, inst.iri, old, lc)
        current = without_revisions(read)
        desired = {(s, p, o, target) for s, p, o in instrument_graph(inst, ctx)}
        owned_now = {q for q in current if q[0] == inst.iri and (q[1] in OWNED or q[1] == DCI.status)}
        # events (and other triples) follow the instrument when its confidentiality changes
        moved: set[Quad] = set()
        for q in current:
            if q[0] != inst.iri and q[3] != hist:
                moved.add(q)
            if q[0] == inst.iri and q[1] not in OWNED and q[1] != DCI.status and q[3] != target:
                moved.add(q)
        status_quad = None
        new_status = inst.status
        old_status = old["status"] if old else None
        if new_status:
            status_quad = (inst.iri, DCI.status, lc.statuses[new_status], target)
            desired.add(status_quad)
        if new_status and new_status != old_status:
            date_col = lc.date_column.get(new_status)
            ev = StatusChange(
                instrument_id=inst.id,
                sequence=(old["last"] if old else 0) + 1,
                from_status=old_status,
                to_status=new_status,
                date=inst.status_on or (getattr(inst, date_col) if date_col else None),
                by=by,
                source=f"register {Path(source).name}",
                note=None,
            )
            add += event_batch(ev, lc, hist)
            report.status_changes += 1
        to_remove = (owned_now - desired) | moved
        to_add = (desired - owned_now) | {(s, p, o, hist if s != inst.iri else target) for s, p, o, _g in moved}
        remove += sorted(to_remove, key=str)
        add += sorted(to_add, key=str)
        if old is None:
            report.created.append(inst.id)
            revisions.created(inst.iri, target)
        elif to_add or to_remove or (new_status and new_status != old_status):
            report.updated.append(inst.id)
            revisions.changed(inst.iri, read, target)
        else:
            report.unchanged.append(inst.id)
    return Plan(add + revisions.add, remove + revisions.remove, report, revisions.expect)


def text_of(v) -> str | None:
    return None if v is None else str(v)


def event_batch(ev: StatusChange, lc: Lifecycle, hist: URIRef) -> list[Quad]:
    return lifecycle.event_quads(ev, lc, hist)
