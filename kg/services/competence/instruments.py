"""The instruments with a country a question names, as the caller may see them (restricted ones only for a
cleared caller), with their status on the date asked: the latest status dated by a register date on or before
it (signed, approved, in force, ended), else their current one when it is dated by none.

They are read from the register's read model (kg/services/agreements/readmodel.py: its two views are the
cleared caller's graphs and the public ones), so that a country with hundreds of instruments costs a dictionary
lookup, not a store query (country-instruments.rq took 0.3–0.9 s for one country at 100,000 instruments).
`lookup_sparql` asks the store the same question: what answers while the model is being built, and the
reference a test checks the model against."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rdflib import URIRef

from kg import queries
from kg.services.agreements import readmodel
from kg.services.competence.casefile import InstrumentLookup
from kg.services.competence.index import Index
from kg.store import Store
from vocab.namespaces import RESTRICTED_GRAPHS


def lookup(
    store: Store, index: Index, at: dt.date, lang: str, *, cleared: bool = False, generation: int | None = None
) -> InstrumentLookup:
    """A function from a country IRI to its instruments in the caller's view: from the read model when it is
    at the store's generation, else from the store (while the model is built beside: after a start, or a
    write by another process, a build takes seconds to a minute at 10,000-100,000 instruments). `generation`:
    the store's, when the caller has just read it."""
    reg = readmodel.fresh(store, generation)
    if reg is None:
        return lookup_sparql(store, index, at, lang, cleared=cleared)
    by_country = reg.cached(("by-country", cleared), lambda: _by_country(reg.rows(cleared).values()))

    def instruments(country: str) -> list[dict]:
        rows = by_country.get(index.casedata.country_codes.get(country) or "", [])
        found = (_from_row(index, r, at, lang) for r in rows)
        return [i for i in found if i is not None]

    return instruments


def _by_country(rows) -> dict[str, list[readmodel.Row]]:
    out: dict[str, list[readmodel.Row]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.id):
        out[r.partner_country].append(r)
    return dict(out)


def _from_row(index: Index, r: readmodel.Row, at: dt.date, lang: str) -> dict | None:
    return _entry(
        index,
        {"id": r.id, "iri": r.iri, "kind": r.kind, "title": r.title, "confidentiality": r.confidentiality,
         "current": r.status, "topic_iris": set(r.topic_iris)},
        dict(r.dates), at, lang,
    )  # fmt: skip


def lookup_sparql(
    store: Store, index: Index, at: dt.date, lang: str, *, graphs: list[URIRef] | None = None, cleared: bool = False
) -> InstrumentLookup:
    """The same lookup asked of the store (one query a country), read in `graphs` (those the caller may
    read; None: all of them for a cleared caller, the public ones otherwise)."""
    if graphs is None and not cleared:
        graphs = [g for g in store.graph_names() if g not in RESTRICTED_GRAPHS]

    def instruments(country: str) -> list[dict]:
        q = queries.load("country-instruments").inline(country=URIRef(country))
        return _instruments(index, store.select(q, graphs=graphs), at, lang, cleared)

    return instruments


def _instruments(index: Index, rows: list, at: dt.date, lang: str, cleared: bool) -> list[dict]:
    by_id: dict[str, dict] = {}
    dates: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        if not cleared and str(r["confidentiality"]) == "restricted":
            continue
        i = by_id.setdefault(
            str(r["id"]),
            {
                "id": str(r["id"]),
                "iri": str(r["instrument"]),
                "kind": str(r["kind"]),
                "title": str(r["title"]),
                "confidentiality": str(r["confidentiality"]),
                "current": str(r["current"]) if r["current"] is not None else None,
                "topic_iris": set(),
            },
        )
        if r["topic"] is not None:
            i["topic_iris"].add(str(r["topic"]))
        if r["dateProperty"] is not None and r["date"] is not None:
            dates[i["id"]][str(r["dateProperty"])] = str(r["date"])[:10]
    found = (_entry(index, by_id[key], dates[key], at, lang) for key in sorted(by_id))
    return [i for i in found if i is not None]


def _entry(index: Index, i: dict, dates: dict[str, str], at: dt.date, lang: str) -> dict | None:
    """The instrument as the case file shows it on `at`; None when it was not yet signed then."""
    status = _status_at(index, i["current"], dates, at, lang)
    if status is None:
        return None
    i["status"] = status
    i["current_status"] = _status(index, i.pop("current"), None, lang)
    i["topics"] = sorted(_topic_label(index, t, lang) for t in i["topic_iris"])
    i["topic_iris"] = sorted(i["topic_iris"])
    return i


def _status_at(index: Index, current: str | None, dates: dict[str, str], at: dt.date, lang: str) -> dict | None:
    """The furthest status reached by `at` among those a register date dates; None when every known date is
    later (the instrument did not exist yet); the current status, undated, when no date is known."""
    day = at.isoformat()
    dated = [(s.stage, s.code, dates[s.date_property]) for s in index.casedata.statuses.values()
             if s.date_property in dates]  # fmt: skip
    reached = [x for x in dated if x[2] <= day]
    if reached:
        _, code, since = max(reached)
        return _status(index, code, since, lang)
    return None if dated else _status(index, current, None, lang)


def _status(index: Index, code: str | None, since: str | None, lang: str) -> dict:
    s = index.casedata.statuses.get(code or "")
    label = (s.labels.get(lang) or s.labels.get("fr") or code) if s is not None else None
    return {"code": code, "label": label, "since": since}


def _topic_label(index: Index, topic: str, lang: str) -> str:
    labels = index.topic_labels.get(topic, {})
    return labels.get(lang) or labels.get("fr") or topic.rsplit("/", 1)[-1]
