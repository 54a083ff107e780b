"""The negotiators' views answered from the read model (kg.services.agreements.readmodel): the register
filtered, sorted and paged with its total; counts per status and kind; instruments pending approval;
signed and not in force. Each answer is the SPARQL one (agreements-list.rq, counts-by-status-kind.rq,
pending-approval.rq, signed-not-in-force.rq) over the same view, checked equal by tests/integration/
test_readmodel.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kg.services.agreements.readmodel import Register, Row, current
from kg.store import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    status: str | None = None
    kind: str | None = None
    topic: str | None = None
    cutoff: str | None = None  # ISO date: signed before it and neither in force nor ended


def default_order(row: Row) -> tuple:
    """agreements-list.rq's ORDER BY ?partnerCountry ?signedOn ?id (an unbound date first)."""
    return (row.partner_country, row.signed_on is not None, row.signed_on or "", row.id)


def matching(reg: Register, cleared: bool, f: Filters) -> list[Row]:
    """The rows a filter keeps, in the default order (cached per version of the model)."""

    def compute() -> list[Row]:
        rows = [
            r
            for r in reg.rows(cleared).values()
            if (f.country is None or r.partner_country == f.country)
            and (f.status is None or r.status == f.status)
            and (f.kind is None or r.kind == f.kind)
            and (f.topic is None or f.topic in r.topics)
            and (f.cutoff is None or _stalled(r, f.cutoff, reg))
        ]
        return sorted(rows, key=default_order)

    return reg.cached(("match", cleared, f), compute)


def _stalled(r: Row, cutoff: str, reg: Register) -> bool:
    return r.signed_on is not None and r.signed_on < cutoff and r.status not in reg.vocab.settled


def sorted_rows(reg: Register, cleared: bool, f: Filters, key_name: str, key: Callable[[Row], tuple], desc: bool):
    """The rows a filter keeps, sorted by `key` (named `key_name` for the cache)."""
    if key_name == "default" and not desc:
        return matching(reg, cleared, f)
    return reg.cached(
        ("sorted", cleared, f, key_name, desc), lambda: sorted(matching(reg, cleared, f), key=key, reverse=desc)
    )


def item(reg: Register, row: Row, cleared: bool) -> dict:
    """A row as `GET /agreements` and `dci-kg agreements list --json` show it."""
    return {
        "id": row.id,
        "iri": row.iri,
        "kind": row.kind,
        "title": row.title,
        "partner_country": row.partner_country,
        "status": row.status,
        "signed_on": row.signed_on,
        "in_force_on": row.in_force_on,
        "parent_id": reg.parent_id(row, cleared),
    }


def page(store: Store, f: Filters, *, cleared: bool, limit: int | None = DEFAULT_LIMIT, offset: int = 0) -> dict:
    """`{"items": [...], "total": n, "limit": l, "offset": o}`: one page of the filtered register
    (`limit=None`: every row from `offset`)."""
    reg = current(store)
    rows = matching(reg, cleared, f)
    end = None if limit is None else offset + limit
    return {
        "items": [item(reg, r, cleared) for r in rows[offset:end]],
        "total": len(rows),
        "limit": limit,
        "offset": offset,
    }


def status_counts(reg: Register, cleared: bool, f: Filters) -> Counter:
    """How many of the filtered rows have each status (None: unknown)."""
    return reg.cached(("counts", cleared, f), lambda: Counter(r.status for r in matching(reg, cleared, f)))


def counts_by_status_kind(store: Store, *, cleared: bool) -> list[dict]:
    """counts-by-status-kind.rq: instruments per current status ("unknown" when none) and kind."""
    reg = current(store)

    def compute() -> list[dict]:
        n = Counter((r.status or "unknown", r.kind) for r in reg.rows(cleared).values())
        return [{"status": s, "kind": k, "count": c} for (s, k), c in sorted(n.items())]

    return reg.cached(("status-kind", cleared), compute)


def pending_approval(store: Store, *, cleared: bool) -> list[dict]:
    """pending-approval.rq: instruments waiting for Parliament's approval law, by signature date."""
    reg = current(store)
    rows = matching(reg, cleared, Filters(status="approval_pending"))
    rows = sorted(rows, key=lambda r: (r.signed_on is not None, r.signed_on or "", r.id))
    return [
        {"id": r.id, "title": r.title, "country": r.partner_country, "signed_on": r.signed_on,
         "approval_law": r.approval_law}
        for r in rows
    ]  # fmt: skip


def signed_not_in_force(store: Store, cutoff: str, today: str, *, cleared: bool) -> list[dict]:
    """signed-not-in-force.rq: signed before `cutoff`, neither in force nor ended, with the years elapsed."""
    reg = current(store)
    rows = sorted(matching(reg, cleared, Filters(cutoff=cutoff)), key=lambda r: (r.signed_on, r.id))
    return [
        {"id": r.id, "title": r.title, "country": r.partner_country, "status": r.status,
         "signed_on": r.signed_on, "years": _years(r.signed_on, today)}
        for r in rows
    ]  # fmt: skip


def _years(signed: str, today: str) -> int:
    (ty, tm, td), (sy, sm, sd) = (map(int, d[:10].split("-")) for d in (today, signed))
    return ty - sy - (1 if (tm, td) < (sm, sd) else 0)
