"""The register's columns, rows and instruments, and what is wrong with a row."""


from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS

from vocab import iris
from vocab.namespaces import DCI, ELI

COLUMNS: tuple[str, ...] = (
    "id", "kind", "title", "partner_country", "partner_authority", "status", "status_on", "signed_on", "signed_at",
    "approval_law", "approved_on", "in_force_on", "ended_on", "parent_id", "related", "topics", "beneficiaries",
    "negotiator", "mandate", "confidentiality", "certainty", "source", "note",
)  # fmt: skip
# columns added after the first registers were written: a header may leave them out (read as empty)
OPTIONAL_COLUMNS = ("status_on", "related", "certainty")


LIST_COLUMNS = ("topics", "beneficiaries", "source", "related")
DATE_COLUMNS = ("signed_on", "approved_on", "in_force_on", "ended_on")
REQUIRED = ("id", "kind", "title", "partner_country", "confidentiality", "source")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MANDATE_PATTERN = re.compile(r"^(\d+)\s*([a-z])(?:@([A-Z0-9]{6,20}))?$")
# the longest cell a register accepts: csv's own limit (131072) raised a bare csv.Error mid-file, so the
# reader's limit is raised to the whole text's length and cells are measured here, naming row and column
MAX_CELL = 128 * 1024
# the register predicates an import owns: anything else said about an instrument is left alone
OWNED = frozenset(
    {
        RDF.type, DCI.key, ELI.title, DCI.partnerCountry, DCI.partnerAuthority, DCI.signedOn, DCI.signedAt,
        DCI.approvalLaw, DCI.approvedOn, DCI.inForceOn, DCI.endedOn, ELI.based_on, DCI.topic,
        DCI.beneficiaryDirectorate, DCI.negotiator, DCI.underMandate, DCI.confidentiality, DCTERMS.source, DCI.note,
        DCI.certainty, DCI.completesInstrument, DCI.replacesInstrument, DCI.followsInstrument,
    }
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    # the row as a spreadsheet numbers it: a CSV's header is row 1, its first data row row 2; a JSON
    # list's first item is row 1; None: the file itself
    row: int | None
    column: str | None
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        col = f", column {self.column}" if self.column else ""
        val = f" {self.value!r}" if self.value else ""
        return f"{where}{col}:{val} {self.reason}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


class Row(dict):
    """A register row (column -> cell) that knows its row number in the file."""

    def __init__(self, cells: dict[str, str], number: int) -> None:
        super().__init__(cells)
        self.number = number


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
    certainties: dict[str, URIRef] = field(default_factory=dict)  # notation (C, P, U) -> certainty concept
    relations: dict[str, URIRef] = field(default_factory=dict)  # relation code -> property between instruments


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
    status_on: dt.date | None = None  # the day the source attests the status: the date of its status change
    certainty: str | None = None  # C, P or U
    related: list[tuple[str, str]] = field(default_factory=list)  # (relation code, register id)

    @property
    def iri(self) -> URIRef:
        return iris.instrument(self.id)

    def dates(self) -> dict[str, dt.date | None]:
        return {c: getattr(self, c) for c in DATE_COLUMNS}
