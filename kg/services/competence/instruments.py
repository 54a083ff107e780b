"""The instruments with a country a question names, as the caller may see them (restricted ones only for a
cleared caller), and their status on a date: the latest status dated by a register date on or before it
(signed, approved, in force, ended), else their current one when it is dated by none.

They are read from the register's read model (kg/services/agreements/readmodel.py: its two views are the
cleared caller's graphs and the public ones) as `Candidate`s computed once per version of the model, so that
a country with hundreds of instruments costs a dictionary lookup and set operations, not a store query
(country-instruments.rq took 0.3-0.9 s for one country at 100,000 instruments) nor a dictionary per instrument:
the case file builds the dictionaries of the few it lists (casefile.py). `lookup_sparql` asks the store the
same question: what answers while the model is being built, and the reference a test checks the model
against."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from rdflib import URIRef

from kg import queries
from kg.services.agreements import readmodel
from kg.services.competence.index import Index
from kg.store import Store
from vocab.namespaces import RESTRICTED_GRAPHS

# (stage, status code, ISO day): the furthest status reached by a day, ties to the later code and day
Reached = tuple[int, str, str]


class Candidate(NamedTuple):
    """One instrument the caller may see, with its status timeline: `days` sorted, `best[k]` the furthest
    status dated on or before `days[k]` (so that the status on any date is one bisection). A tuple: 100,000
    of them are built after a start."""

    id: str
    iri: str
    kind: str
    title: str
    confidentiality: str
    current: str | None
    topic_iris: frozenset[str]
    days: tuple[str, ...] = ()
    best: tuple[Reached, ...] = ()

    def status_at(self, day: str) -> tuple[str | None, str | None] | None:
        """(code, since) on `day` (ISO); None when every known date is later (the instrument did not exist
        yet); the current status, undated, when no date is known."""
        if not self.days:
            return self.current, None
        k = bisect_right(self.days, day)
        if k == 0:
            return None
        _, code, since = self.best[k - 1]
        return code, since


class CountryInstruments(NamedTuple):
    """A country's instruments in id order, and for each topic the positions of those it is a topic of: a
    case file tests each topic once (a few dozen per country), not each instrument (hundreds)."""

    members: tuple[Candidate, ...]
    by_topic: dict[str, tuple[int, ...]]


# a country IRI -> the instruments with it visible to the caller
InstrumentLookup = Callable[[str], CountryInstruments]


NONE = CountryInstruments((), {})


def indexed(candidates: Iterable[Candidate]) -> CountryInstruments:
    """Candidates (in id order) with their positions per topic."""
    members = tuple(candidates)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for k, c in enumerate(members):
        for t in c.topic_iris:
            by_topic[t].append(k)
    return CountryInstruments(members, {t: tuple(ks) for t, ks in by_topic.items()})


ByProperty = dict[str, list[tuple[int, str]]]  # date property -> the (stage, code) of the statuses it dates


def candidate(by_property: ByProperty, fields: dict, dates: Iterable[tuple[str, str]]) -> Candidate:
    """A Candidate from an instrument's fields and its (date property, ISO day) pairs; `by_property`: the index's
    statuses per date property (casedata.statuses_by_date_property, read once per list)."""
    return Candidate(**fields, **_timeline(by_property, dates))


def _timeline(by_property: ByProperty, dates: Iterable[tuple[str, str]]) -> dict:
    events = sorted((day, stage, code) for prop, day in dates for stage, code in by_property.get(prop, ()))
    best: list[Reached] = []
    for day, stage, code in events:
        here = (stage, code, day)
        best.append(max(best[-1], here) if best else here)
    return {"days": tuple(e[0] for e in events), "best": tuple(best)}


def lookup(store: Store, index: Index, *, cleared: bool = False, generation: int | None = None) -> InstrumentLookup:
    """A function from a country IRI to its instruments in the caller's view: from the read model when it is
    at the store's generation, else from the store (while the model is built beside: after a start, or a
    write by another process, a build takes seconds to a minute at 10,000-100,000 instruments). `generation`:
    the store's, when the caller has just read it."""
    reg = readmodel.fresh(store, generation)
    if reg is None:
        return lookup_sparql(store, index, cleared=cleared)
    # the statuses are the index's (the ontology's): a new index with other statuses computes its own
    key = ("competence-candidates", cleared, index.casedata.statuses_key())
    memo = reg.keep(key, dict)
    by_country = reg.cached(key, lambda: _by_country(index, reg.rows(cleared).values(), memo))

    def instruments(country: str) -> CountryInstruments:
        return by_country.get(index.casedata.country_codes.get(country) or "", NONE)

    return instruments


def _by_country(index: Index, rows: Iterable[readmodel.Row], memo: dict) -> dict[str, CountryInstruments]:
    """The candidates per country code, indexed by topic. `memo` (row IRI -> (row, candidate)) is kept across the
    model's versions: a write replaces the rows it changes, so the others' candidates are reused (building
    100,000 takes about a second)."""
    by_property = index.casedata.statuses_by_date_property()
    out: dict[str, list[Candidate]] = defaultdict(list)
    rows = sorted(rows, key=lambda r: r.id)
    if len(memo) > 2 * len(rows) + 1000:  # deleted instruments' entries: start again
        memo.clear()
    for r in rows:
        known = memo.get(r.iri)
        if known is None or known[0] is not r:
            fields = {"id": r.id, "iri": r.iri, "kind": r.kind, "title": r.title, "confidentiality": r.confidentiality,
                      "current": r.status, "topic_iris": r.topic_iris}  # fmt: skip
            c = candidate(by_property, fields, r.dates)
            known = memo[r.iri] = (r, c)
        out[r.partner_country].append(known[1])
    return {country: indexed(found) for country, found in out.items()}


def lookup_sparql(
    store: Store, index: Index, *, graphs: list[URIRef] | None = None, cleared: bool = False
) -> InstrumentLookup:
    """The same lookup asked of the store (one query a country), read in `graphs` (those the caller may
    read; None: all of them for a cleared caller, the public ones otherwise)."""
    if graphs is None and not cleared:
        graphs = [g for g in store.graph_names() if g not in RESTRICTED_GRAPHS]

    def instruments(country: str) -> CountryInstruments:
        q = queries.load("country-instruments").inline(country=URIRef(country))
        return indexed(_candidates(index, store.select(q, graphs=graphs), cleared))

    return instruments


def _candidates(index: Index, rows: list, cleared: bool) -> list[Candidate]:
    by_id: dict[str, dict] = {}
    topics: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        if not cleared and str(r["confidentiality"]) == "restricted":
            continue
        key = str(r["id"])
        by_id.setdefault(
            key,
            {
                "id": key,
                "iri": str(r["instrument"]),
                "kind": str(r["kind"]),
                "title": str(r["title"]),
                "confidentiality": str(r["confidentiality"]),
                "current": str(r["current"]) if r["current"] is not None else None,
            },
        )
        if r["topic"] is not None:
            topics[key].add(str(r["topic"]))
        if r["dateProperty"] is not None and r["date"] is not None:
            dates[key][str(r["dateProperty"])] = str(r["date"])[:10]
    by_property = index.casedata.statuses_by_date_property()
    return [
        candidate(by_property, {**by_id[key], "topic_iris": frozenset(topics[key])}, dates[key].items())
        for key in sorted(by_id)
    ]


def entry(index: Index, c: Candidate, at: dt.date, lang: str) -> dict | None:
    """The instrument as the case file shows it on `at`; None when it was not yet signed then."""
    found = c.status_at(at.isoformat())
    if found is None:
        return None
    return {
        "id": c.id,
        "iri": c.iri,
        "kind": c.kind,
        "title": c.title,
        "confidentiality": c.confidentiality,
        "status": _status(index, *found, lang),
        "current_status": _status(index, c.current, None, lang),
        "topics": sorted(_topic_label(index, t, lang) for t in c.topic_iris),
        "topic_iris": sorted(c.topic_iris),
    }


def _status(index: Index, code: str | None, since: str | None, lang: str) -> dict:
    s = index.casedata.statuses.get(code or "")
    label = (s.labels.get(lang) or s.labels.get("fr") or code) if s is not None else None
    return {"code": code, "label": label, "since": since}


def _topic_label(index: Index, topic: str, lang: str) -> str:
    labels = index.topic_labels.get(topic, {})
    return labels.get(lang) or labels.get("fr") or topic.rsplit("/", 1)[-1]
