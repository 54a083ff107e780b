"""The agreement register (CSV or JSON): read, check every row against the vocabulary, turn rows into RDF.

One row per instrument. Every problem of every row is collected and reported together
(`RegisterError.problems`), and nothing is returned until the whole file is sound. The loader knows
the vocabulary only through a `RegisterContext` the caller builds from the store: it never opens the
store itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from vocab import iris
from vocab.namespaces import DCI, ELI
from vocab.terms import is_iri

COLUMNS: tuple[str, ...] = (
    "id", "kind", "title", "partner_country", "partner_authority", "status", "signed_on", "signed_at",
    "approval_law", "approved_on", "in_force_on", "ended_on", "parent_id", "topics", "beneficiaries",
    "negotiator", "mandate", "confidentiality", "source", "note",
)  # fmt: skip
LIST_COLUMNS = ("topics", "beneficiaries", "source")
DATE_COLUMNS = ("signed_on", "approved_on", "in_force_on", "ended_on")
REQUIRED = ("id", "kind", "title", "partner_country", "confidentiality", "source")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MANDATE = re.compile(r"^(\d+)\s*([a-z])(?:@([A-Z0-9]{6,20}))?$")
# the longest cell a register accepts: csv's own limit (131072) raised a bare csv.Error mid-file, so the
# reader's limit is raised to the whole text's length and cells are measured here, naming row and column
MAX_CELL = 128 * 1024
# the register predicates an import owns: anything else said about an instrument is left alone
OWNED = frozenset(
    {
        RDF.type, DCI.key, ELI.title, DCI.partnerCountry, DCI.partnerAuthority, DCI.signedOn, DCI.signedAt,
        DCI.approvalLaw, DCI.approvedOn, DCI.inForceOn, DCI.endedOn, ELI.based_on, DCI.topic,
        DCI.beneficiaryDirectorate, DCI.negotiator, DCI.underMandate, DCI.confidentiality, DCTERMS.source, DCI.note,
    }
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based data row (CSV: the header is row 0); 0 = the file itself
    column: str | None
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        col = f", column {self.column}" if self.column else ""
        val = f" {self.value!r}" if self.value else ""
        return f"{where}{col}:{val} {self.reason}"


class RegisterError(ValueError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s); nothing was imported"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class MandateRef:
    iri: URIRef
    article: str
    letter: str
    nor: str
    in_force_from: dt.date | None
    in_force_to: dt.date | None


@dataclass(frozen=True)
class Existing:
    kind: str
    status: str | None


@dataclass
class RegisterContext:
    """What a register row is checked against; built by the caller from the store."""

    kinds: dict[str, URIRef]  # kind code -> class
    statuses: dict[str, URIRef]  # status code -> concept
    allowed_next: dict[str, set[str]]
    topics: dict[str, URIRef]  # topic code -> concept
    organisations: dict[str, URIRef]  # acronym (upper case) -> organisation
    mandates: list[MandateRef]
    confidentiality: dict[str, URIRef]
    existing: dict[str, Existing] = field(default_factory=dict)  # register id -> what the store holds


@dataclass
class Instrument:
    """One register row, checked and typed."""

    id: str
    kind: str
    title: str
    partner_country: str
    status: str | None
    confidentiality: str
    sources: list[str]
    partner_authority: str | None = None
    signed_on: dt.date | None = None
    signed_at: str | None = None
    approval_law: str | None = None
    approved_on: dt.date | None = None
    in_force_on: dt.date | None = None
    ended_on: dt.date | None = None
    parent_id: str | None = None
    topics: list[str] = field(default_factory=list)
    beneficiaries: list[str] = field(default_factory=list)
    negotiator: str | None = None
    mandate: str | None = None
    mandate_iri: URIRef | None = None
    note: str | None = None

    @property
    def iri(self) -> URIRef:
        return iris.instrument(self.id)

    def dates(self) -> dict[str, dt.date | None]:
        return {c: getattr(self, c) for c in DATE_COLUMNS}


# -- reading -----------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a register file (.csv or .json), as strings; raises RegisterError on a bad layout."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(name, [Problem(0, None, "", f"cannot read the file: {exc}")]) from exc
    if path.suffix.lower() == ".json":
        return _json_rows(name, text)
    return _csv_rows(name, text)


def is_register_csv(path: Path) -> bool:
    """True if the file is a CSV whose header is the register's columns."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return tuple(h.strip() for h in header) == COLUMNS


def _csv_rows(name: str, text: str) -> list[dict[str, str]]:
    if len(text) > csv.field_size_limit():
        csv.field_size_limit(len(text))  # process-wide, only ever raised: the text is already in memory
    try:
        return _csv_records(name, csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise RegisterError(name, [Problem(0, None, "", f"malformed CSV: {exc}")]) from None


def _csv_records(name: str, reader) -> list[dict[str, str]]:
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        raise RegisterError(name, problems)
    rows = []
    for n, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(n, None, "", f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        row = dict(zip(header, cells, strict=True))
        problems += _long_cells(n, row)
        rows.append(row)
    if problems:
        raise RegisterError(name, problems)
    return rows


def _is_url(text: str) -> bool:
    """A source that is an http(s) IRI the store accepts becomes an IRI; anything else stays text."""
    return re.match(r"^https?://\S+$", text) is not None and is_iri(text)


def _long_cells(n: int, row: dict[str, str]) -> list[Problem]:
    return [
        Problem(n, column, "", f"is {len(value)} characters long; a cell holds at most {MAX_CELL}")
        for column, value in row.items()
        if len(value) > MAX_CELL
    ]


def _json_rows(name: str, text: str) -> list[dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegisterError(name, [Problem(0, None, "", f"malformed JSON: {exc}")]) from exc
    except RecursionError:
        raise RegisterError(name, [Problem(0, None, "", "malformed JSON: nested too deeply")]) from None
    items = data.get("items", data.get("instruments")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise RegisterError(name, [Problem(0, None, "", 'expected a list of instruments (or {"items": [...]})')])
    rows, problems = [], []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(n, None, "", "is not an object"))
            continue
        unknown = sorted(set(item) - set(COLUMNS))
        problems += [Problem(n, k, "", "unknown field") for k in unknown]
        row = {c: _json_cell(item.get(c)) for c in COLUMNS}
        problems += _long_cells(n, row)
        rows.append(row)
    if problems:
        raise RegisterError(name, problems)
    return rows


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _header_problems(header: list[str]) -> list[Problem]:
    problems = [Problem(0, c, "", "missing column") for c in COLUMNS if c not in header]
    problems += [Problem(0, c, "", "unknown column") for c in header if c not in COLUMNS]
    if not problems and tuple(header) != COLUMNS:
        problems.append(Problem(0, None, ",".join(header), f"columns must be, in order: {','.join(COLUMNS)}"))
    return problems


# -- checking ----------------------------------------------------------------------------------------


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def check_rows(name: str, rows: Iterable[dict[str, str]], ctx: RegisterContext) -> list[Instrument]:
    """Every row checked; raises RegisterError naming every bad row and column, else the instruments."""
    rows = list(rows)
    problems: list[Problem] = []
    ids_in_file: dict[str, tuple[int, str]] = {}
    for n, row in enumerate(rows, start=1):
        rid, kind = row.get("id", "").strip(), row.get("kind", "").strip()
        if rid in ids_in_file:
            problems.append(Problem(n, "id", rid, f"is already used by row {ids_in_file[rid][0]}"))
        elif rid:
            ids_in_file[rid] = (n, kind)
    out = []
    for n, row in enumerate(rows, start=1):
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
    if rid and not _ID.match(rid):
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
                if not _DATE.match(row[c]):
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
            **dates,
        ),
        [],
    )


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
    m = _MANDATE.match(ref)
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


# -- RDF ---------------------------------------------------------------------------------------------


def instrument_graph(inst: Instrument, ctx: RegisterContext) -> list[tuple[URIRef, URIRef, Node]]:
    """The register's triples about one instrument (without its status and history), without repeats.

    A list, not an rdflib Graph: an import builds one per row and the Graph cost more than the rest of
    the planning (at 10,000 rows)."""
    g: dict[tuple[URIRef, URIRef, Node], None] = {}
    s = inst.iri
    g[(s, RDF.type, ctx.kinds[inst.kind])] = None
    g[(s, DCI.key, Literal(inst.id))] = None
    g[(s, ELI.title, Literal(inst.title, lang="fr"))] = None
    g[(s, DCI.partnerCountry, iris.country(inst.partner_country))] = None
    g[(s, DCI.confidentiality, ctx.confidentiality[inst.confidentiality])] = None
    for prop, value in (
        (DCI.partnerAuthority, inst.partner_authority),
        (DCI.signedAt, inst.signed_at),
        (DCI.approvalLaw, inst.approval_law),
        (DCI.note, inst.note),
    ):
        if value:
            g[(s, prop, Literal(value))] = None
    for prop, day in (
        (DCI.signedOn, inst.signed_on),
        (DCI.approvedOn, inst.approved_on),
        (DCI.inForceOn, inst.in_force_on),
        (DCI.endedOn, inst.ended_on),
    ):
        if day:
            g[(s, prop, Literal(day.isoformat(), datatype=XSD.date))] = None
    if inst.parent_id:
        g[(s, ELI.based_on, iris.instrument(inst.parent_id))] = None
    for t in inst.topics:
        g[(s, DCI.topic, ctx.topics[t])] = None
    for b in inst.beneficiaries:
        g[(s, DCI.beneficiaryDirectorate, ctx.organisations[b])] = None
    if inst.negotiator:
        g[(s, DCI.negotiator, ctx.organisations[inst.negotiator])] = None
    if inst.mandate_iri:
        g[(s, DCI.underMandate, inst.mandate_iri)] = None
    for src in inst.sources:
        g[(s, DCTERMS.source, URIRef(src) if _is_url(src) else Literal(src))] = None
    return list(g)
