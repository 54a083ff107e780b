"""A write and the inferences drawn from it, never out of step after a crash.

The data and a record of the derivation it needs (graph/meta: the nodes to refresh, or "everything") are
written in one transaction; the inferences are drawn; the record is removed. A process stopped in
between (a crash, `kill -9`) leaves the record, and `recover()` — run when a server starts and before
every import — draws the inferences it names and reports the write as cut off."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg import gate, queries
from kg.reasoning import materialise, refresh
from kg.store import Expect, Store
from vocab.namespaces import DCI, META_GRAPH, PROV
from vocab.terms import Quad

REFRESH_NODES = 200  # above this many touched nodes, deriving the whole store again is cheaper
# A fault-injection point for the crash tests: a write whose source is named here stops between the commit of
# its data (with its pending record) and its derivation, for up to HOLD_SECONDS, so that a test can kill the
# process exactly there. Unset in production.
HOLD_ENV = "DCIKG_FAILPOINT_HOLD_BEFORE_DERIVING"
HOLD_SECONDS = 600


@dataclass(frozen=True)
class Interrupted:
    """A write whose inferences a stopped process did not draw (completed by recover())."""

    source: str | None
    by: str | None
    at: str | None

    def as_dict(self) -> dict:
        return {"source": self.source, "by": self.by, "at": self.at}

    def sentence(self) -> str:
        what = f"the write of {self.source}" if self.source else "a write"
        who = f" by {self.by}" if self.by else ""
        when = f" at {self.at}" if self.at else ""
        return f"{what}{who}{when} was cut off before its inferences were drawn: completed now"


def commit(
    store: Store,
    add: list[Quad],
    remove: list[Quad] = (),
    *,
    expect: Sequence[Expect] = (),
    whole: bool = False,
    everything: bool = False,
    source: str | None = None,
    by: str | None = None,
) -> None:
    """gate.commit (validated, conditional on `expect`; `whole` validates the whole resulting graph), then
    the inferences (for the nodes written, or `everything` again), crash-safely."""
    add, remove = list(add), list(remove)
    if not add and not remove:
        return
    before = store.generation if _listeners and store.kind == "embedded" else None
    nodes = None if everything or whole else _nodes(add, remove)
    record = _record(nodes, source, by)
    gate.commit(store, add, remove, whole=whole, expect=expect, bookkeeping=record)
    if source is not None and os.environ.get(HOLD_ENV) == source:
        time.sleep(HOLD_SECONDS)
    _derive(store, nodes)
    store.apply([], record)
    for listener in _listeners:  # the read model follows the write (kg.services.agreements.readmodel)
        listener(store, add, remove, before)


# called after every commit with (store, add, remove, the generation before it or None when unknown)
_listeners: list = []


def on_commit(listener) -> None:
    """Have `listener(store, add, remove, before)` called after every commit, in the write's own path."""
    if listener not in _listeners:
        _listeners.append(listener)


def recover(store: Store) -> list[Interrupted]:
    """Complete every derivation a stopped process left pending (not those of writers still at work); what
    they were, oldest first."""
    rows = store.select(queries.load("pending-derivations").text, graphs=[META_GRAPH])
    rows = [r for r in rows if not _at_work(r)]
    if not rows:
        return []
    pending: dict[URIRef, dict] = {}
    for r in rows:
        p = pending.setdefault(r["pending"], {"all": False, "nodes": set(), "row": r})
        p["all"] |= r["all"] is not None and r["all"].toPython() is True
        if r["node"] is not None:
            p["nodes"].add(r["node"])
    if any(p["all"] for p in pending.values()):
        materialise(store)
    else:
        refresh(store, sorted({n for p in pending.values() for n in p["nodes"]}))
    records = [q for q in store.quads(META_GRAPH) if q[0] in pending]
    store.apply(_notes(records), records)  # each pending record becomes the note an import will report
    found = [_interrupted(p["row"]) for p in pending.values()]
    return sorted(found, key=lambda i: i.at or "")


def take_cut_off(store: Store, source: str) -> list[Interrupted]:
    """The writes of `source` that were cut off and completed since (reported once: the notes are removed)."""
    rows = store.select(queries.load("cut-off-writes").inline(source=Literal(source)), graphs=[META_GRAPH])
    if not rows:
        return []
    notes = {r["note"] for r in rows}
    store.apply([], [q for q in store.quads(META_GRAPH) if q[0] in notes])
    return sorted((_interrupted(r) for r in rows), key=lambda i: i.at or "")


def _notes(records: list[Quad]) -> list[Quad]:
    """A pending record's source, author and time, kept as a cut-off write (with when it was completed)."""
    done = Literal(dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    kept = (DCTERMS.source, PROV.wasAssociatedWith, PROV.startedAtTime)
    out = [q for q in records if q[1] in kept]
    for iri in {q[0] for q in out if q[1] == DCTERMS.source}:
        out += [(iri, RDF.type, DCI.CutOffWrite, META_GRAPH), (iri, DCI.completedAt, done, META_GRAPH)]
    return [q for q in out if any(n[0] == q[0] and n[1] == DCTERMS.source for n in out)]


def _nodes(add: list[Quad], remove: list[Quad]) -> list[URIRef] | None:
    """The nodes whose inferences the write changes, or None for "derive everything"."""
    nodes = [n for n in gate.focus_nodes(add, remove) if isinstance(n, URIRef)]
    return nodes if len(nodes) <= REFRESH_NODES else None


def _derive(store: Store, nodes: list[URIRef] | None) -> None:
    if nodes is None:
        materialise(store)
    else:
        refresh(store, nodes)


def _record(nodes: list[URIRef] | None, source: str | None, by: str | None) -> list[Quad]:
    iri = URIRef(f"urn:x-dcikg:pending:{uuid.uuid4().hex}")
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    out: list[Quad] = [
        (iri, RDF.type, DCI.PendingDerivation, META_GRAPH),
        (iri, PROV.startedAtTime, Literal(at, datatype=XSD.dateTime), META_GRAPH),
    ]
    if nodes is None:
        out.append((iri, DCI.pendingAll, Literal(True), META_GRAPH))
    else:
        out += [(iri, DCI.pendingNode, n, META_GRAPH) for n in nodes]
    if source:
        out.append((iri, DCTERMS.source, Literal(source), META_GRAPH))
    if by:
        out.append((iri, PROV.wasAssociatedWith, Literal(by), META_GRAPH))
    out.append((iri, DCI.writer, Literal(_this_process()), META_GRAPH))
    return out


OTHER_HOST_GRACE = dt.timedelta(minutes=10)  # a writer on another host is taken as stopped after this


def _this_process() -> str:
    return f"{socket.gethostname()}/{os.getpid()}/{_started(os.getpid())}"


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (with the pid, it names one process, not a reused pid)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _at_work(r: dict) -> bool:
    """Whether the write of a pending record may still be running (its process alive): then it is its own."""
    host, _, rest = str(r["writer"] or "").partition("/")
    pid, _, started = rest.partition("/")
    if host == socket.gethostname() and pid.isdigit():
        return bool(started) and _started(int(pid)) == started
    at = r["at"].toPython() if r["at"] is not None else None
    return isinstance(at, dt.datetime) and dt.datetime.now(dt.UTC) - at < OTHER_HOST_GRACE


def _interrupted(r: dict) -> Interrupted:
    def text(v) -> str | None:
        return None if v is None else str(v)

    return Interrupted(text(r["source"]), text(r["by"]), text(r["at"]))
