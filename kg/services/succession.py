"""The succession of legal texts: a text that `dci:replaces` another ends it the day before it enters into
force, and the end is as certain as that entry into force (`dci:endCertainty`). Applied to what `init`
builds and to what every `load` adds, against what the store already holds: a replacing text loaded after
`init`, as a legal text or as an RDF record of its metadata, ends the text it replaces at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import queries
from kg.store import Store
from vocab.namespaces import DCI, ELI
from vocab.terms import Quad

FACTS = (DCI.replaces, ELI.first_date_entry_in_force, ELI.date_no_longer_in_force,
         DCI.inForceCertainty, DCI.certainty, DCI.endCertainty)  # fmt: skip


def store_facts(store: Store) -> list[Quad]:
    """The succession facts the store holds, as quads."""
    rows = store.select(queries.load("succession-facts").text)
    return [(r["s"], r["p"], r["o"], r["g"]) for r in rows]


def ends(facts: Iterable[Quad]) -> list[Quad]:
    """The quads that end each replaced text: its last day (if it has none) and the certainty of that day
    (if none is recorded), in the graph that holds the `dci:replaces`, so that they go with it. A successor
    whose entry into force is not known (known only to be in force by a date) gives no end."""
    value: dict[tuple, set] = {}
    replaces: list[tuple] = []
    for s, p, o, g in facts:
        if p not in FACTS:
            continue
        value.setdefault((s, p), set()).add(o)
        if p == DCI.replaces:
            replaces.append((s, o, g))
    out: list[Quad] = []
    for new, old, graph in sorted(set(replaces)):
        starts = value.get((new, ELI.first_date_entry_in_force), set())
        if len(starts) != 1:
            continue  # unknown, or contradictory (the gate says so)
        last = dt.date.fromisoformat(str(next(iter(starts)))) - dt.timedelta(days=1)
        end = Literal(last.isoformat(), datatype=XSD.date)
        known = value.get((old, ELI.date_no_longer_in_force), set())
        if not known:
            out.append((old, ELI.date_no_longer_in_force, end, graph))
            value[(old, ELI.date_no_longer_in_force)] = {end}
        elif {str(k) for k in known} != {str(end)}:
            continue  # an end from elsewhere: its certainty is not this successor's
        certainty = _one(value, new, DCI.inForceCertainty) or _one(value, new, DCI.certainty)
        if certainty is not None and not value.get((old, DCI.endCertainty)):
            out.append((old, DCI.endCertainty, certainty, graph))
            value[(old, DCI.endCertainty)] = {certainty}
    return out


def _one(value: dict[tuple, set], s: URIRef, p: URIRef) -> URIRef | None:
    found = value.get((s, p), set())
    return next(iter(found)) if len(found) == 1 else None
