"""The agreements tracker: the register (kg.services.agreements) with labels, sorted and paged on the server,
counts by status and the most advanced instrument per partner country. Stages and labels come from the RDF
(statuses scheme, instrument classes, topics, countries) through tracker-labels.rq; the rows come from the
read model (kg.services.agreements.readmodel), so a page costs what it shows. Names sort with the Unicode
collation (pyuca: "Émirats" among the E), not by code."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass

from kg import queries
from kg.services import agreements
from kg.services.agreements import readmodel, views
from kg.services.agreements.readmodel import Row
from kg.services.agreements.reads import filter_of
from kg.store import Store

SORTABLE = ("id", "partner_country", "kind", "title", "status", "signed_on", "in_force_on")


@functools.cache
def _collator():
    import pyuca

    return pyuca.Collator()


@functools.lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple:
    """The Unicode collation key of a label (accents and case second: "Émirats" sorts among the E)."""
    return tuple(_collator().sort_key(text))


def fold(text: str) -> str:
    """A cheap accent- and case-insensitive key, for free text (titles): pyuca per title costs too much."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """Code -> label per vocabulary in one language, and the life-cycle stage of each status."""

    labels: dict[str, dict[str, str]]
    stage: dict[str, int]

    def label(self, vocab: str, code: str | None) -> str:
        if code is None:
            return "—"
        return self.labels.get(vocab, {}).get(code, code)

    def options(self, vocab: str, codes: list[str] | None = None) -> list[tuple[str, str]]:
        """(code, label) pairs: statuses in life-cycle order, the others by label; `codes` narrows them."""
        table = self.labels.get(vocab, {})
        items = [(c, table.get(c, c)) for c in codes] if codes is not None else list(table.items())
        if vocab == "status":
            return sorted(items, key=lambda kv: (self.stage.get(kv[0], 99), kv[1]))
        return sorted(items, key=lambda kv: collation_key(kv[1]))


def vocabulary(store: Store, lang: str) -> Vocabulary:
    """The labels in `lang` (cached with the read model: read again only after a write)."""
    return readmodel.current(store).cached(("vocabulary", lang), lambda: _vocabulary(store, lang))


def _vocabulary(store: Store, lang: str) -> Vocabulary:
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
    def text(value: str | None) -> tuple:
        return (value is None, value or "")

    keys = {
        "partner_country": lambda r: (collation_key(vocab.label("country", r.partner_country)), text(r.signed_on)),
        "kind": lambda r: (collation_key(vocab.label("kind", r.kind)),),
        "title": lambda r: (fold(r.title),),
        "status": lambda r: (r.status is None, vocab.stage.get(r.status or "", 99)),
        "signed_on": lambda r: text(r.signed_on),
        "in_force_on": lambda r: text(r.in_force_on),
        "id": lambda r: (),
    }
    first = keys[field]
    return lambda r: (*first(r), r.id)


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
    limit: int = views.DEFAULT_LIMIT,
    offset: int = 0,
) -> dict:
    """One page of the filtered register, sorted, with the total and the counts by status of every
    filtered row (the chart counts what the filters keep, not only the page)."""
    f = filter_of(store, country, status, kind, topic, stalled_years, today)
    reg = readmodel.current(store)
    vocab = vocabulary(store, lang)
    field = sort if sort in SORTABLE else "partner_country"
    rows: list[Row] = views.sorted_rows(
        reg, include_restricted, f, f"{field}:{lang}", _sort_key(field, vocab), descending
    )
    counts = views.status_counts(reg, include_restricted, f)
    by_status = [(code, label, counts[code]) for code, label in vocab.options("status") if counts[code]]
    if counts[None]:
        by_status.append((None, "—", counts[None]))
    items = [views.item(reg, r, include_restricted) for r in rows[offset : offset + limit]]
    return {"items": items, "total": len(rows), "by_status": by_status, "vocab": vocab, "limit": limit,
            "offset": offset, "countries": _countries(store, reg, include_restricted, vocab)}  # fmt: skip


def _countries(store: Store, reg: readmodel.Register, cleared: bool, vocab: Vocabulary) -> list[tuple[str, str]]:
    """The partner countries of the instruments this view shows, by name (for the filter)."""
    codes = reg.cached(("countries", cleared), lambda: sorted({r.partner_country for r in reg.rows(cleared).values()}))
    return vocab.options("country", codes)


def empty(store: Store, lang: str, *, include_restricted: bool = False) -> dict:
    """A table with no rows (the filters named an unknown code), with the vocabulary for the filter form."""
    vocab = vocabulary(store, lang)
    reg = readmodel.current(store)
    return {"items": [], "total": 0, "by_status": [], "vocab": vocab, "limit": views.DEFAULT_LIMIT, "offset": 0,
            "countries": _countries(store, reg, include_restricted, vocab)}  # fmt: skip


def countries(store: Store, lang: str, *, include_restricted: bool = False) -> dict:
    """For each partner country, its most advanced instrument (highest life-cycle stage, then the most
    recently signed) and how many instruments it has."""
    vocab = vocabulary(store, lang)
    reg = readmodel.current(store)

    def compute() -> list[dict]:
        best: dict[str, Row] = {}
        count: Counter[str] = Counter()
        for r in sorted(reg.rows(include_restricted).values(), key=views.default_order):
            c = r.partner_country
            count[c] += 1
            rank = (vocab.stage.get(r.status or "", 0), r.signed_on or "")
            if c not in best or rank > (vocab.stage.get(best[c].status or "", 0), best[c].signed_on or ""):
                best[c] = r
        return [
            {"country": c, "name": vocab.label("country", c), "count": count[c],
             "best": views.item(reg, best[c], include_restricted)}
            for c in sorted(best, key=lambda c: collation_key(vocab.label("country", c)))
        ]  # fmt: skip

    return {"rows": reg.cached(("country-table", lang, include_restricted), compute), "vocab": vocab}


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
