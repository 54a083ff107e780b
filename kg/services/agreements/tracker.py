"""The agreements tracker: the register (kg.services.agreements) with labels, sorting, counts by status and the
most advanced instrument per partner country. Stages and labels come from the RDF (statuses scheme,
instrument classes, topics, countries) through tracker-labels.rq."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from kg import queries
from kg.services import agreements
from kg.store import Store

SORTABLE = ("id", "partner_country", "kind", "title", "status", "signed_on", "in_force_on")


@dataclass(frozen=True)
class Vocabulary:
    """Code -> label per vocabulary in one language, and the life-cycle stage of each status."""

    labels: dict[str, dict[str, str]]
    stage: dict[str, int]

    def label(self, vocab: str, code: str | None) -> str:
        if code is None:
            return "—"
        return self.labels.get(vocab, {}).get(code, code)

    def options(self, vocab: str) -> list[tuple[str, str]]:
        items = self.labels.get(vocab, {}).items()
        if vocab == "status":
            return sorted(items, key=lambda kv: (self.stage.get(kv[0], 99), kv[1]))
        return sorted(items, key=lambda kv: kv[1].lower())


def vocabulary(store: Store, lang: str) -> Vocabulary:
    labels: dict[str, dict[str, str]] = {}
    stage: dict[str, int] = {}
    for row in store.select(queries.load("tracker-labels").text):
        vocab, code, label = str(row["vocab"]), str(row["code"]), row["label"]
        table = labels.setdefault(vocab, {})
        if getattr(label, "language", None) == lang or code not in table:
            table[code] = str(label)
        if row["stage"] is not None:
            stage[code] = int(row["stage"])
    return Vocabulary(labels, stage)


def _sort_key(field: str, vocab: Vocabulary):
    def key(item: dict) -> tuple:
        value = item.get(field)
        if field == "status":
            return (value is None, vocab.stage.get(value or "", 99), item["id"])
        return (value is None, str(value or "").lower(), item["id"])

    return key


def table(
    store: Store,
    lang: str,
    *,
    country: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    stalled_years: int | None = None,
    sort: str = "partner_country",
    descending: bool = False,
    include_restricted: bool = False,
    today: dt.date | None = None,
) -> dict:
    """The filtered register, sorted, with the counts by status of the rows shown."""
    vocab = vocabulary(store, lang)
    found = agreements.list_instruments(
        store,
        country=country or None,
        status=status or None,
        kind=kind or None,
        topic=topic or None,
        stalled_years=stalled_years,
        today=today,
        include_restricted=include_restricted,
    )
    items = sorted(found["items"], key=_sort_key(sort if sort in SORTABLE else "partner_country", vocab))
    if descending:
        items.reverse()
    counts = Counter(i["status"] for i in items)
    by_status = [(code, label, counts[code]) for code, label in vocab.options("status") if counts[code]]
    if counts[None]:
        by_status.append((None, "—", counts[None]))
    return {"items": items, "total": len(items), "by_status": by_status, "vocab": vocab}


def empty(store: Store, lang: str) -> dict:
    """A table with no rows (the filters named an unknown code), with the vocabulary for the filter form."""
    return {"items": [], "total": 0, "by_status": [], "vocab": vocabulary(store, lang)}


def countries(store: Store, lang: str, *, include_restricted: bool = False) -> dict:
    """For each partner country, its most advanced instrument (highest life-cycle stage, then the most
    recently signed) and how many instruments it has."""
    vocab = vocabulary(store, lang)
    items = agreements.list_instruments(store, include_restricted=include_restricted)["items"]
    best: dict[str, dict] = {}
    count: Counter[str] = Counter()
    for item in items:
        c = item["partner_country"]
        count[c] += 1
        rank = (vocab.stage.get(item["status"] or "", 0), item["signed_on"] or "")
        if c not in best or rank > (vocab.stage.get(best[c]["status"] or "", 0), best[c]["signed_on"] or ""):
            best[c] = item
    rows = [
        {"country": c, "name": vocab.label("country", c), "count": count[c], "best": best[c]}
        for c in sorted(best, key=lambda c: vocab.label("country", c).lower())
    ]
    return {"rows": rows, "vocab": vocab}


def instrument(store: Store, instrument_id: str, lang: str, *, include_restricted: bool = False) -> dict:
    """One instrument with its timeline and the statuses it may move to next (from the life-cycle)."""
    from kg.services.agreements import lifecycle

    # visibility first (the public graphs only): a restricted id and an unknown one take the same path
    found = agreements.show(store, instrument_id, include_restricted=include_restricted)
    if found.get("confidentiality") == "restricted" and not include_restricted:
        raise agreements.NotFound(f"no instrument with id {instrument_id!r}")
    lc = lifecycle.load(store)
    vocab = vocabulary(store, lang)
    allowed = lc.allowed_next.get(found["status"] or "", set()) if found["status"] else set(lc.statuses)
    statuses = vocab.options("status")
    return {
        "instrument": found,
        "vocab": vocab,
        "allowed": [(c, label) for c, label in statuses if c in allowed],
        "others": [(c, label) for c, label in statuses if c not in allowed],
    }


def record(
    store: Store, instrument_id: str, status: str, day: dt.date, *, by: str, note: str | None, source: str | None
) -> dict:
    """Record a status change (the life-cycle and the shapes decide; IllegalTransition when refused)."""
    return agreements.transition(
        store, instrument_id, status, date=day, note=note or None, by=by, source=source or None
    )
