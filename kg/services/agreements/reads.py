"""Reading the register: the list with its filters, one instrument, its history, its version."""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import queries
from kg.services.agreements import filters, readmodel, views
from kg.services.agreements.imports import current_states, instrument_quads, text_of
from kg.services.versions import quads_version
from kg.store import Row, Store
from vocab.namespaces import RESTRICTED_GRAPHS


class NotFound(LookupError):
    """No instrument has this id."""


def _visible(store: Store, include_restricted: bool) -> list[URIRef] | None:
    """The graphs a read may use: all of them, or only the public ones (a restricted instrument, its
    history and a restricted parent then do not exist for the query at all). Every reader takes
    `include_restricted=False` unless it says otherwise: forgetting the flag hides, it never leaks."""
    if include_restricted:
        return None
    return [g for g in store.graph_names() if g not in RESTRICTED_GRAPHS]


def list_instruments(
    store: Store,
    *,
    country: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    stalled_years: int | None = None,
    today: dt.date | None = None,
    include_restricted: bool = False,
    limit: int | None = views.DEFAULT_LIMIT,
    offset: int = 0,
) -> dict:
    """`{"items": [...], "total": n, "limit": l, "offset": o}`: one page (`limit=None`: every row) of the
    register, each filter keeping only the instruments that have its value (an unknown code raises
    UnknownCode); `stalled_years` keeps instruments with a known signature date more than N years ago and
    still not in force (nor ended). Answered by the read model (views); `list_sparql` is the same
    question asked of the store in SPARQL."""
    f = filter_of(store, country, status, kind, topic, stalled_years, today)
    found = views.page(store, f, cleared=include_restricted, limit=limit, offset=offset)
    return found


def filter_of(
    store: Store,
    country: str | None,
    status: str | None,
    kind: str | None,
    topic: str | None,
    stalled_years: int | None,
    today: dt.date | None,
) -> views.Filters:
    """The checked filters (UnknownCode for a code no scheme knows), codes as the rows hold them."""
    reg = readmodel.current(store)
    known = reg.cached(("known-codes",), lambda: filters.known_codes(store))
    filters.check(store, known=known, country=country, status=status, kind=kind, topic=topic)
    cutoff = None
    if stalled_years is not None:
        cutoff = _years_before(today or dt.date.today(), stalled_years).isoformat()
    return views.Filters(country.upper() if country else None, status or None, kind or None, topic or None, cutoff)


def list_sparql(
    store: Store,
    *,
    country: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    stalled_years: int | None = None,
    today: dt.date | None = None,
    include_restricted: bool = False,
) -> dict:
    """Every row list_instruments answers, asked of the store (agreements-list.rq): the reference the read
    model is checked against."""
    filters.check(store, country=country, status=status, kind=kind, topic=topic)
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
        "status": text_of(r["status"]),
        "signed_on": text_of(r["signedOn"]),
        "in_force_on": text_of(r["inForceOn"]),
        "parent_id": text_of(r["parentId"]),
    }


def _years_before(day: dt.date, years: int) -> dt.date:
    if years >= day.year:  # before the first year of the calendar: every signature date is later
        return dt.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def show(store: Store, instrument_id: str, *, include_restricted: bool = False) -> dict:
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
    out["partner_authority"] = text_of(r["partnerAuthority"])
    out["confidentiality"] = str(r["confidentiality"])
    lists = {"topics": [], "beneficiaries": [], "source": [], "related": []}
    d = queries.load("instrument-detail")
    for row in store.select(d.inline(id=Literal(instrument_id)), graphs=graphs):
        name, value = str(row["field"]), str(row["value"])
        if name in lists:
            lists[name].append(value)
        else:
            out[name] = value
    out.update({k: sorted(v) for k, v in lists.items()})
    out["history"] = _events(store, instrument_id, graphs)
    # the day the current status is attested: the date of the change that led to it (None: not dated)
    last = out["history"][-1] if out["history"] else None
    out["status_on"] = last["date"] if last and last["to"] == out["status"] else None
    return out


def history(store: Store, instrument_id: str, *, include_restricted: bool = False, check: bool = False) -> list[dict]:
    """The status changes of one instrument, in order; `check=True` raises NotFound for an unknown (or,
    without `include_restricted`, restricted) instrument instead of answering []."""
    if check:
        show(store, instrument_id, include_restricted=include_restricted)
    return _events(store, instrument_id, _visible(store, include_restricted))


def version(store: Store, instrument_id: str, *, include_restricted: bool = False) -> str:
    """The version (ETag) of one instrument: a hash of its quads and of its history's; NotFound if absent."""
    # without clearance the lookup runs over the public graphs only: a restricted id takes the very path
    # of an unknown one (checking its confidentiality after loading it answered measurably slower)
    st = current_states(store, instrument_id, _visible(store, include_restricted))
    if instrument_id not in st or (not include_restricted and st[instrument_id]["confidentiality"] == "restricted"):
        raise NotFound(f"no instrument with id {instrument_id!r}")
    return quads_version(instrument_quads(store, st[instrument_id]["iri"]))


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
                "from": text_of(r["from"]),
                "to": str(r["to"]),
                "date": text_of(r["date"]),
                "by": text_of(r["by"]),
                "sources": [],
                "note": text_of(r["note"]),
            },
        )
        if r["source"] is not None and str(r["source"]) not in ev["sources"]:
            ev["sources"].append(str(r["source"]))
    return sorted(events.values(), key=lambda e: e["sequence"])
