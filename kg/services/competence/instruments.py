"""The instruments with a country a question names, as the caller may see them (restricted ones only for a
cleared caller, through the graphs the register's access rules leave readable), with their status on the
date asked: the latest status dated by a register date on or before it (signed, approved, in force,
ended), else their current one when it is dated by none."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rdflib import URIRef

from kg import queries
from kg.services.competence.casefile import InstrumentLookup
from kg.services.competence.index import Index
from kg.store import Store
from vocab.namespaces import RESTRICTED_GRAPHS


def lookup(
    store: Store, index: Index, at: dt.date, lang: str, *, graphs: list[URIRef] | None = None, cleared: bool = False
) -> InstrumentLookup:
    """A function from a country IRI to its instruments (one query a country named, not per answer), read in
    `graphs` (those the caller may read, kg/auth/access.py; None: all of them, for a cleared caller only)."""
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
    out = []
    for key in sorted(by_id):
        i = by_id[key]
        status = _status_at(index, i["current"], dates[key], at, lang)
        if status is None:
            continue  # not yet signed on the date asked
        i["status"] = status
        i["current_status"] = _status(index, i.pop("current"), None, lang)
        i["topics"] = sorted(_topic_label(index, t, lang) for t in i["topic_iris"])
        i["topic_iris"] = sorted(i["topic_iris"])
        out.append(i)
    return out


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
