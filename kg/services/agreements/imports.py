"""Importing a register: rows planned against the store (created, updated, unchanged, status changes),
written through the gate, inferences refreshed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from kg import gate, queries
from kg.reasoning import materialise, refresh
from kg.services.agreements import lifecycle, readmodel
from kg.services.agreements.lifecycle import Lifecycle, StatusChange
from kg.store import Store
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

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "status_changes": self.status_changes,
        }


def register_context(store: Store, instrument_id: str | None = None) -> RegisterContext:
    """The vocabulary a register row is checked against, and what the store already holds."""
    lc = lifecycle.load(store)
    kinds = {str(r["code"]): r["class"] for r in store.select(queries.load("register-kinds").text)}
    vocab: dict[str, dict[str, URIRef]] = {"topic": {}, "confidentiality": {}, "organisation": {}}
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


def import_file(store: Store, path: Path, *, by: str = IMPORT_AGENT) -> ImportReport:
    """Import a register file (.csv or .json): all rows or none; see loaders.register for the format."""
    return import_rows(store, read_rows(path), source=str(path), by=by)


REFRESH_NODES = 200  # above this many touched nodes, deriving the whole store again is cheaper


def import_rows(store: Store, rows: list[dict[str, str]], *, source: str, by: str = IMPORT_AGENT) -> ImportReport:
    """Check every row, then write the whole batch through the gate in one transaction.

    The same id updates the instrument (never a duplicate); a changed status becomes a status change
    in the history; importing the same rows again changes nothing."""
    before = store.generation
    add, remove, report = plan_import(store, rows, source=source, by=by)
    gate.commit(store, add, remove)
    if add or remove:
        infer_after(store, add, remove)
    readmodel.written(store, add, remove, before)
    return report


def infer_after(store: Store, add: list[Quad], remove: list[Quad]) -> None:
    """Refresh the inferred graphs after a write: for the nodes it touched when they are few (a created
    instrument, a status change), else for the whole store."""
    nodes = [n for n in gate.focus_nodes(add, remove) if isinstance(n, URIRef)]
    if len(nodes) <= REFRESH_NODES:
        refresh(store, nodes)
    else:
        materialise(store)


def plan_import(
    store: Store, rows: list[dict[str, str]], *, source: str, by: str = IMPORT_AGENT
) -> tuple[list[Quad], list[Quad], ImportReport]:
    """The quads an import adds and removes (nothing is written); raises RegisterError on bad rows."""
    ctx = register_context(store)
    instruments = check_rows(source, rows, ctx)
    lc = lifecycle.load(store)
    states = current_states(store)
    report = ImportReport(source=source, rows=len(instruments))
    add: list[Quad] = []
    remove: list[Quad] = []
    for inst in instruments:
        old = states.get(inst.id)
        target = agreements_graph(inst.confidentiality)
        hist = history_graph(inst.confidentiality)
        current = instrument_quads(store, inst.iri) if old else []
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
                date=getattr(inst, date_col) if date_col else None,
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
        elif to_add or to_remove or (new_status and new_status != old_status):
            report.updated.append(inst.id)
        else:
            report.unchanged.append(inst.id)
    return add, remove, report


def text_of(v) -> str | None:
    return None if v is None else str(v)


def event_batch(ev: StatusChange, lc: Lifecycle, hist: URIRef) -> list[Quad]:
    return lifecycle.event_quads(ev, lc, hist)
