"""The instrument life-cycle, read from the status scheme (ontology/statuses.ttl), and status-change events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg import queries
from kg.store import Store
from vocab import iris
from vocab.namespaces import DCI, PROV
from vocab.terms import Quad


class IllegalTransition(ValueError):
    """A status change the life-cycle does not allow; the message names both statuses and the allowed ones."""


class UnknownStatus(IllegalTransition):
    """A status code the status scheme does not know (bad data rather than a conflict)."""


class InvalidValue(ValueError):
    """A value the caller gave that cannot be recorded as it is (a source URL that is not an IRI)."""


def source_term(text: str) -> URIRef | Literal:
    """A status change's source: an IRI for a URL (InvalidValue if it is not a valid IRI), else a literal."""
    src = text.strip()
    if not src.startswith(("http://", "https://")):
        return Literal(src)
    try:
        ox.NamedNode(src)
    except ValueError as exc:
        raise InvalidValue(f"the source {src!r} is not a valid IRI ({exc}); give a URL or plain text") from exc
    return URIRef(src)


@dataclass(frozen=True)
class Lifecycle:
    statuses: dict[str, URIRef]
    allowed_next: dict[str, set[str]]
    in_force: frozenset[str]
    final: frozenset[str]
    stage: dict[str, int]
    date_property: dict[str, URIRef] = field(default_factory=dict)  # status -> the date it fills in
    date_column: dict[str, str] = field(default_factory=dict)  # status -> that date's register column

    def check(self, instrument: str, old: str | None, new: str) -> None:
        if new not in self.statuses:
            known = ", ".join(sorted(self.statuses, key=lambda c: self.stage.get(c, 99)))
            raise UnknownStatus(f"unknown status {new!r}; known statuses: {known}")
        if old is None:
            return
        allowed = self.allowed_next.get(old, set())
        if new not in allowed:
            names = ", ".join(sorted(allowed, key=lambda c: self.stage.get(c, 99))) or "none (final status)"
            raise IllegalTransition(
                f"illegal transition for {instrument}: {old} -> {new}; allowed next from {old}: {names}"
            )


def load(store: Store) -> Lifecycle:
    statuses: dict[str, URIRef] = {}
    allowed: dict[str, set[str]] = {}
    in_force, final, stage = set(), set(), {}
    date_property: dict[str, URIRef] = {}
    date_column: dict[str, str] = {}
    for r in store.select(queries.load("statuses").text):
        code = str(r["code"])
        statuses[code] = r["status"]
        allowed.setdefault(code, set())
        if r["nextCode"] is not None:
            allowed[code].add(str(r["nextCode"]))
        if r["inForce"] is not None and r["inForce"].toPython() is True:
            in_force.add(code)
        if r["final"] is not None and r["final"].toPython() is True:
            final.add(code)
        if r["stage"] is not None:
            stage[code] = int(r["stage"])
        if r["dateProperty"] is not None:
            date_property[code] = r["dateProperty"]
        if r["dateColumn"] is not None:
            date_column[code] = str(r["dateColumn"])
    return Lifecycle(statuses, allowed, frozenset(in_force), frozenset(final), stage, date_property, date_column)


@dataclass(frozen=True)
class StatusChange:
    instrument_id: str
    sequence: int
    from_status: str | None
    to_status: str
    date: dt.date | None
    by: str
    source: str | None = None
    note: str | None = None


def event_quads(ev: StatusChange, lc: Lifecycle, graph: URIRef) -> list[Quad]:
    """The PROV-O activity recording one status change, in the given history graph."""
    e = iris.status_change(ev.instrument_id, ev.sequence)
    agent = iris.agent(ev.by)
    out: list[Quad] = [
        (e, RDF.type, DCI.StatusChange),
        (e, DCI.instrument, iris.instrument(ev.instrument_id)),
        (e, DCI.toStatus, lc.statuses[ev.to_status]),
        (e, DCI.sequence, Literal(ev.sequence, datatype=XSD.integer)),
        (e, PROV.wasAssociatedWith, agent),
        (agent, RDF.type, PROV.Agent),
        (agent, RDFS.label, Literal(ev.by)),
    ]
    if ev.from_status:
        out.append((e, DCI.fromStatus, lc.statuses[ev.from_status]))
    if ev.date:
        out.append((e, DCI.statusDate, Literal(ev.date.isoformat(), datatype=XSD.date)))
    if ev.source:
        out.append((e, DCTERMS.source, source_term(ev.source)))
    if ev.note:
        out.append((e, DCI.note, Literal(ev.note)))
    return [(s, p, o, graph) for s, p, o in out]
