"""Agreement services: list, show, history, transition, create, import, export.

HTTP-free: the CLI and the API call these same functions; they take a store and plain values and return
plain dicts. Every write goes through the gate (kg.gate.commit): SHACL on the touched instrument and its
neighbourhood, then one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import gate, queries
from kg.reasoning import materialise, refresh
from kg.services.agreements import lifecycle
from kg.services.agreements.lifecycle import IllegalTransition, Lifecycle, StatusChange
from kg.services.versions import quads_version
from kg.store import Row, Store
from loaders.register import (
    OWNED,
    Existing,
    MandateRef,
    RegisterContext,
    check_rows,
    instrument_graph,
    read_rows,
)
from vocab.namespaces import DCI, RESTRICTED_GRAPHS, agreements_graph, history_graph
from vocab.terms import Quad

IMPORT_AGENT = "register import"
__all__ = [
    "AlreadyExists",
    "IllegalTransition",
    "ImportReport",
    "NotFound",
    "create",
    "export_rows",
    "history",
    "import_file",
    "import_rows",
    "list_instruments",
    "show",
    "transition",
]


class NotFound(LookupError):
    """No instrument has this id."""


class AlreadyExists(ValueError):
    """create() was given the id of an instrument the store already holds."""


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


def _text(v) -> str | None:
    return None if v is None else str(v)


def _visible(store: Store, include_restricted: bool) -> list[URIRef] | None:
    """The graphs a read may use: all of them, or only the public ones (a restricted instrument, its
    history and a restricted parent then do not exist for the query at all)."""
    if include_restricted:
        return None
    return [g for g in store.graph_names() if g not in RESTRICTED_GRAPHS]


# -- reading ---------------------------------------------------------------------------------------------


def list_instruments(
    store: Store,
    *,
    country: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    stalled_years: int | None = None,
    today: dt.date | None = None,
    include_restricted: bool = True,
) -> dict:
    """`{"items": [...], "total": n}`; `stalled_years` keeps instruments signed more than N years ago
    and still not in force (nor ended)."""
    cutoff = None
    if stalled_years is not None:
        cutoff = Literal(_years_before(today or dt.date.today(), stalled_years).isoformat(), datatype=XSD.date)
    q = queries.load("agreements-list")
    rows = store.select(
        q.inline(
            country=Literal(country.upper()) if country else None,
            statusCode=Literal(status) if status else None,
            kindCode=Literal(kind) if kind else None,
            topicCode=Literal(topic) if topic else None,
            cutoff=cutoff,
            id=None,
        ),
        graphs=_visible(store, include_restricted),
    )
    items = [_item(r) for r in rows if include_restricted or str(r["confidentiality"]) != "restricted"]
    return {"items": items, "total": len(items)}


def _item(r: Row) -> dict:
    return {
        "id": str(r["id"]),
        "iri": str(r["instrument"]),
        "kind": str(r["kind"]),
        "title": str(r["title"]),
        "partner_country": str(r["partnerCountry"]),
        "status": _text(r["status"]),
        "signed_on": _text(r["signedOn"]),
        "in_force_on": _text(r["inForceOn"]),
        "parent_id": _text(r["parentId"]),
    }


def _years_before(day: dt.date, years: int) -> dt.date:
    if years >= day.year:  # before the first year of the calendar: every signature date is later
        return dt.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def show(store: Store, instrument_id: str, *, include_restricted: bool = True) -> dict:
    """Every register field of one instrument, its confidentiality and its history; without
    `include_restricted` a restricted instrument is NotFound, as if it did not exist."""
    graphs = _visible(store, include_restricted)
    q = queries.load("agreements-list")
    rows = store.select(
        q.inline(country=None, statusCode=None, kindCode=None, topicCode=None, cutoff=None, id=Literal(instrument_id)),
        graphs=graphs,
    )
    if not rows or (not include_restricted and str(rows[0]["confidentiality"]) == "restricted"):
        raise NotFound(f"no instrument with id {instrument_id!r}")
    r = rows[0]
    out = _item(r)
    out["partner_authority"] = _text(r["partnerAuthority"])
    out["confidentiality"] = str(r["confidentiality"])
    lists = {"topics": [], "beneficiaries": [], "source": []}
    d = queries.load("instrument-detail")
    for row in store.select(d.inline(id=Literal(instrument_id)), graphs=graphs):
        name, value = str(row["field"]), str(row["value"])
        if name in lists:
            lists[name].append(value)
        else:
            out[name] = value
    out.update({k: sorted(v) for k, v in lists.items()})
    out["history"] = _events(store, instrument_id, graphs)
    return out


def history(store: Store, instrument_id: str, *, include_restricted: bool = True, check: bool = False) -> list[dict]:
    """The status changes of one instrument, in order; `check=True` raises NotFound for an unknown (or,
    without `include_restricted`, restricted) instrument instead of answering []."""
    if check:
        show(store, instrument_id, include_restricted=include_restricted)
    return _events(store, instrument_id, _visible(store, include_restricted))


def version(store: Store, instrument_id: str, *, include_restricted: bool = True) -> str:
    """The version (ETag) of one instrument: a hash of its quads and of its history's; NotFound if absent."""
    # without clearance the lookup runs over the public graphs only: a restricted id takes the very path
    # of an unknown one (checking its confidentiality after loading it answered measurably slower)
    st = _states(store, instrument_id, _visible(store, include_restricted))
    if instrument_id not in st or (not include_restricted and st[instrument_id]["confidentiality"] == "restricted"):
        raise NotFound(f"no instrument with id {instrument_id!r}")
    return quads_version(_instrument_quads(store, st[instrument_id]["iri"]))


def _events(store: Store, instrument_id: str, graphs: list[URIRef] | None) -> list[dict]:
    q = queries.load("instrument-history")
    rows = store.select(q.inline(id=Literal(instrument_id)), graphs=graphs)
    events: dict[str, dict] = {}
    for r in rows:
        ev = events.setdefault(
            str(r["event"]),
            {
                "iri": str(r["event"]),
                "sequence": int(r["sequence"]),
                "from": _text(r["from"]),
                "to": str(r["to"]),
                "date": _text(r["date"]),
                "by": _text(r["by"]),
                "sources": [],
                "note": _text(r["note"]),
            },
        )
        if r["source"] is not None and str(r["source"]) not in ev["sources"]:
            ev["sources"].append(str(r["source"]))
    return sorted(events.values(), key=lambda e: e["sequence"])


# -- context for writes ----------------------------------------------------------------------------------


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
            _date(r["from"]),
            _date(r["to"]),
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
    ctx.existing = {k: Existing(v["kind"], v["status"]) for k, v in _states(store, instrument_id).items()}
    return ctx


def _date(v) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v)) if v is not None else None
    except ValueError:
        return None


def _states(store: Store, instrument_id: str | None = None, graphs: list[URIRef] | None = None) -> dict[str, dict]:
    q = queries.load("instrument-state")
    rows = store.select(q.inline(id=Literal(instrument_id) if instrument_id else None), graphs=graphs)
    return {
        str(r["id"]): {
            "iri": r["instrument"],
            "kind": str(r["kind"]),
            "status": _text(r["status"]),
            "confidentiality": str(r["confidentiality"]),
            "last": int(r["lastSequence"]) if r["lastSequence"] is not None else 0,
        }
        for r in rows
    }


def _instrument_quads(store: Store, iri: URIRef) -> list[Quad]:
    q = queries.load("instrument-quads")
    return [(r["s"], r["p"], r["o"], r["g"]) for r in store.select(q.inline(instrument=iri))]


# -- writes ----------------------------------------------------------------------------------------------


def import_file(store: Store, path: Path, *, by: str = IMPORT_AGENT) -> ImportReport:
    """Import a register file (.csv or .json): all rows or none; see loaders.register for the format."""
    return import_rows(store, read_rows(path), source=str(path), by=by)


REFRESH_NODES = 200  # above this many touched nodes, deriving the whole store again is cheaper


def import_rows(store: Store, rows: list[dict[str, str]], *, source: str, by: str = IMPORT_AGENT) -> ImportReport:
    """Check every row, then write the whole batch through the gate in one transaction.

    The same id updates the instrument (never a duplicate); a changed status becomes a status change
    in the history; importing the same rows again changes nothing."""
    add, remove, report = plan_import(store, rows, source=source, by=by)
    gate.commit(store, add, remove)
    if add or remove:
        _infer_after(store, add, remove)
    return report


def _infer_after(store: Store, add: list[Quad], remove: list[Quad]) -> None:
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
    states = _states(store)
    report = ImportReport(source=source, rows=len(instruments))
    add: list[Quad] = []
    remove: list[Quad] = []
    for inst in instruments:
        old = states.get(inst.id)
        target = agreements_graph(inst.confidentiality)
        hist = history_graph(inst.confidentiality)
        current = _instrument_quads(store, inst.iri) if old else []
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


def event_batch(ev: StatusChange, lc: Lifecycle, hist: URIRef) -> list[Quad]:
    return lifecycle.event_quads(ev, lc, hist)


def create(store: Store, record: dict[str, str], *, by: str = IMPORT_AGENT) -> dict:
    """Create one instrument from a register record (the same fields as a register row)."""
    rid = (record.get("id") or "").strip()
    if rid and _states(store, rid):
        raise AlreadyExists(f"an instrument with id {rid!r} already exists (import the register to update it)")
    import_rows(store, [record], source="create", by=by)
    return show(store, rid)


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
    states = _states(store, instrument_id)
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
    _infer_after(store, add, remove)
    return {"id": instrument_id, "from": st["status"], "to": status, "date": date.isoformat(), "sequence": ev.sequence}


# -- export ----------------------------------------------------------------------------------------------


def export_rows(store: Store, *, include_restricted: bool = True) -> list[dict[str, str]]:
    """The register as rows (the import format): exporting then importing changes nothing."""
    from loaders.register import COLUMNS

    out = []
    for item in list_instruments(store, include_restricted=include_restricted)["items"]:
        d = show(store, item["id"])
        row = {c: "" for c in COLUMNS}
        for c in COLUMNS:
            v = d.get(c)
            if isinstance(v, list):
                row[c] = ";".join(v)
            elif v is not None:
                row[c] = str(v)
        row["parent_id"] = d.get("parent_id") or ""
        row["status"] = d.get("status") or ""
        out.append(row)
    return out


def export_turtle(store: Store, *, include_restricted: bool = True) -> str:
    """The instruments and their history as Turtle."""
    from rdflib import Graph

    from vocab.namespaces import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for item in list_instruments(store, include_restricted=include_restricted)["items"]:
        for s, p, o, _g in _instrument_quads(store, URIRef(item["iri"])):
            g.add((s, p, o))
    return g.serialize(format="turtle")
