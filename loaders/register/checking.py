"""Checking rows against the register's rules and the store's vocabulary: instruments, or problems."""


from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pycountry
from rdflib import URIRef

from loaders.register.model import (
    DATE_COLUMNS,
    DATE_PATTERN,
    ID_PATTERN,
    MANDATE_PATTERN,
    REQUIRED,
    Instrument,
    Problem,
    RegisterContext,
    RegisterError,
)

# -- checking ----------------------------------------------------------------------------------------


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def check_rows(name: str, rows: Iterable[dict[str, str]], ctx: RegisterContext) -> list[Instrument]:
    """Every row checked; raises RegisterError naming every bad row and column, else the instruments.
    A row is named by its number in the file (`Row.number`), else by its position from 1."""
    rows = list(rows)
    problems: list[Problem] = []
    ids_in_file: dict[str, tuple[int, str]] = {}
    numbers = [getattr(row, "number", i) for i, row in enumerate(rows, start=1)]
    for n, row in zip(numbers, rows, strict=True):
        rid, kind = row.get("id", "").strip(), row.get("kind", "").strip()
        if rid in ids_in_file:
            problems.append(Problem(n, "id", rid, f"is already used by row {ids_in_file[rid][0]}"))
        elif rid:
            ids_in_file[rid] = (n, kind)
    out = []
    for n, row in zip(numbers, rows, strict=True):
        inst, row_problems = _check_row(n, {k: (v or "").strip() for k, v in row.items()}, ctx, ids_in_file)
        problems += row_problems
        if inst is not None:
            out.append(inst)
    if problems:
        raise RegisterError(name, problems)
    return out


def _check_row(
    n: int, row: dict[str, str], ctx: RegisterContext, ids_in_file: dict[str, tuple[int, str]]
) -> tuple[Instrument | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(n, column, row.get(column, ""), reason))

    for c in REQUIRED:
        if not row.get(c):
            bad(c, "is required")
    rid = row.get("id", "")
    if rid and not ID_PATTERN.match(rid):
        bad("id", "must be letters, digits, '.', '_' or '-', starting with a letter or digit")
    kind = row.get("kind", "")
    if kind and kind not in ctx.kinds:
        bad("kind", f"unknown kind; known kinds: {', '.join(sorted(ctx.kinds))}")
    country = row.get("partner_country", "")
    if country and (country != country.upper() or pycountry.countries.get(alpha_2=country) is None):
        bad("partner_country", "is not an ISO 3166-1 alpha-2 country code")
    status = row.get("status") or None
    if status and status not in ctx.statuses:
        bad("status", f"unknown status; known statuses: {', '.join(sorted(ctx.statuses))}")
    conf = row.get("confidentiality", "")
    if conf and conf not in ctx.confidentiality:
        bad("confidentiality", f"must be one of {', '.join(sorted(ctx.confidentiality))}")
    dates: dict[str, dt.date | None] = {}
    for c in DATE_COLUMNS:
        dates[c] = None
        if row.get(c):
            try:
                if not DATE_PATTERN.match(row[c]):
                    raise ValueError("not YYYY-MM-DD")
                dates[c] = dt.date.fromisoformat(row[c])
            except ValueError:
                bad(c, "is not a valid date (ISO 8601, YYYY-MM-DD)")
    known = [(c, d) for c, d in dates.items() if d is not None]
    for i, (c1, d1) in enumerate(known):
        for c2, d2 in known[i + 1 :]:
            if d2 < d1:
                bad(c2, f"is before {c1} ({d1.isoformat()}): dates must run signed <= approved <= in force <= ended")
    _check_status_change(rid, status, ctx, bad)
    status_on = _status_on(row, status, dates, bad)
    certainty = row.get("certainty") or None
    if certainty and certainty not in ctx.certainties:
        bad("certainty", f"must be one of {', '.join(sorted(ctx.certainties))} (certain, probable, uncertain)")
    related = _related(rid, row.get("related", ""), ctx, ids_in_file, bad)
    parent = row.get("parent_id") or None
    if parent:
        _check_parent(rid, parent, ctx, ids_in_file, bad)
    topics = split_list(row.get("topics", ""))
    for t in topics:
        if t not in ctx.topics:
            bad("topics", f"unknown topic {t!r} (use the dci:code of a thesaurus concept)")
    beneficiaries = split_list(row.get("beneficiaries", ""))
    for b in beneficiaries:
        if b.upper() not in ctx.organisations:
            bad("beneficiaries", f"unknown organisation acronym {b!r}")
    negotiator = row.get("negotiator") or None
    if negotiator and negotiator.upper() not in ctx.organisations:
        bad("negotiator", "unknown organisation acronym")
    mandate_iri = None
    if row.get("mandate"):
        mandate_iri = _resolve_mandate(row["mandate"], dates["signed_on"], ctx, bad)
    if problems:
        return None, problems
    return (
        Instrument(
            id=rid,
            kind=kind,
            title=row["title"],
            partner_country=country,
            status=status,
            confidentiality=conf,
            sources=split_list(row["source"]),
            partner_authority=row.get("partner_authority") or None,
            signed_at=row.get("signed_at") or None,
            approval_law=row.get("approval_law") or None,
            parent_id=parent,
            topics=topics,
            beneficiaries=[b.upper() for b in beneficiaries],
            negotiator=negotiator.upper() if negotiator else None,
            mandate=row.get("mandate") or None,
            mandate_iri=mandate_iri,
            note=row.get("note") or None,
            status_on=status_on,
            certainty=certainty,
            related=related,
            **dates,
        ),
        [],
    )


def _status_on(row: dict[str, str], status: str | None, dates: dict[str, dt.date | None], bad) -> dt.date | None:
    """The day the source attests the status (a report 'as of' that day): the date of its status change."""
    value = row.get("status_on", "")
    if not value:
        return None
    try:
        if not DATE_PATTERN.match(value):
            raise ValueError("not YYYY-MM-DD")
        day = dt.date.fromisoformat(value)
    except ValueError:
        bad("status_on", "is not a valid date (ISO 8601, YYYY-MM-DD)")
        return None
    if status is None:
        bad("status_on", "dates the status: it needs a status")
    signed = dates.get("signed_on")
    if signed is not None and day < signed:
        bad("status_on", f"is before signed_on ({signed.isoformat()})")
    return day


def _related(rid: str, value: str, ctx: RegisterContext, ids_in_file: dict[str, tuple[int, str]], bad) -> list:
    """`completes:ID;follows:ID`: links to other instruments, in the file or the store."""
    out: list[tuple[str, str]] = []
    for item in split_list(value):
        code, _, target = (x.strip() for x in item.partition(":"))
        if not target:
            bad("related", f"{item!r} must be relation:id, e.g. completes:LB-1993-10-14-protocol")
        elif code not in ctx.relations:
            bad("related", f"unknown relation {code!r}; known relations: {', '.join(sorted(ctx.relations))}")
        elif target == rid:
            bad("related", "an instrument cannot be related to itself")
        elif target not in ids_in_file and target not in ctx.existing:
            bad("related", f"no instrument with id {target!r}, in the file or in the store")
        else:
            out.append((code, target))
    return out


def _check_status_change(rid: str, status: str | None, ctx: RegisterContext, bad) -> None:
    old = ctx.existing.get(rid)
    if old is None or old.status == status or status not in ctx.statuses:
        return
    if status is None:
        bad("status", f"cannot be emptied: the store records {old.status!r} and a history is kept forever")
    elif old.status is not None and status not in ctx.allowed_next.get(old.status, set()):
        allowed = ", ".join(sorted(ctx.allowed_next.get(old.status, set()))) or "none (final status)"
        bad("status", f"illegal transition {old.status} -> {status}; allowed next from {old.status}: {allowed}")


def _check_parent(rid: str, parent: str, ctx: RegisterContext, ids_in_file: dict[str, tuple[int, str]], bad) -> None:
    if parent == rid:
        bad("parent_id", "an instrument cannot be its own parent")
        return
    if parent in ids_in_file:
        kind = ids_in_file[parent][1]
    elif parent in ctx.existing:
        kind = ctx.existing[parent].kind
    else:
        bad("parent_id", "no instrument with this id, in the file or in the store")
        return
    if kind != "agreement":
        bad("parent_id", f"the parent must be an agreement, this one is a {kind}")


def _resolve_mandate(ref: str, signed: dt.date | None, ctx: RegisterContext, bad) -> URIRef | None:
    m = MANDATE_PATTERN.match(ref)
    if not m:
        bad("mandate", "must be an article number and item letter, like 1k (optionally 1k@NOR)")
        return None
    article, letter, nor = m.groups()
    found = [x for x in ctx.mandates if x.article == article and x.letter == letter and (nor is None or x.nor == nor)]
    if not found:
        bad("mandate", f"no loaded legal text has article {article} item {letter})")
        return None
    day = signed or dt.date.today()
    in_force = [
        x
        for x in found
        if (x.in_force_from is None or x.in_force_from <= day) and (x.in_force_to is None or day <= x.in_force_to)
    ]
    if len(in_force) == 1 or (in_force and nor):
        return in_force[0].iri
    if len(found) == 1:
        return found[0].iri
    texts = ", ".join(sorted(x.nor for x in found))
    bad("mandate", f"ambiguous on {day.isoformat()}: texts {texts} have it; write it as {ref}@NOR")
    return None
