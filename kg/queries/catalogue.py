"""The catalogue of named queries (kg/queries/catalogue.ttl): which .rq files a person is offered on the query
page, their title and description in French and English, and a typed field for each declared parameter.
A value typed in a field becomes an RDF term here (checked against its type, pattern and bounds), and the
query is bound through the one binder, NamedQuery.inline."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal as Kind

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH
from rdflib.term import Identifier

from kg.queries import NamedQuery, load
from vocab.paths import QUERIES_DIR
from vocab.terms import is_iri

DCIQ = Namespace("https://w3id.org/dci-kg/queries#")
CATALOGUE = QUERIES_DIR / "catalogue.ttl"
LANGS = ("fr", "en")
_COMMENT_LINES = re.compile(r"^[ \t]*#[^\n]*\n?", re.MULTILINE)  # our .rq files comment on whole lines only


class BadValue(ValueError):
    """A value typed in a parameter's field that is not of its type (400 on the page). `reason` is one of
    required, date, integer, range, iri, pattern (for the page's message catalogue); the text is English."""

    def __init__(self, variable: str, reason: str, message: str) -> None:
        super().__init__(f"?{variable}: {message}")
        self.variable, self.reason = variable, reason


@dataclass(frozen=True)
class Parameter:
    variable: str
    labels: Mapping[str, str]
    kind: Kind["date", "integer", "string", "iri"]
    optional: bool = False
    default: str | None = None
    years_before_today: int | None = None
    example: str | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("fr") or self.variable

    def initial(self, today: dt.date) -> str:
        """What the field holds before the reader types anything."""
        if self.years_before_today is not None:
            return _years_before(today, self.years_before_today).isoformat()
        return self.default or ""

    def term(self, text: str) -> Identifier | None:
        """The RDF term a typed value stands for; None for an empty optional field."""
        text = text.strip()
        if not text:
            if self.optional:
                return None
            raise BadValue(self.variable, "required", "a value is needed")
        if self.kind == "date":
            try:
                return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
            except ValueError:
                raise BadValue(self.variable, "date", f"not a date (YYYY-MM-DD): {text[:40]!r}") from None
        if self.kind == "integer":
            if not re.fullmatch(r"-?\d{1,9}", text):
                raise BadValue(self.variable, "integer", f"not a whole number: {text[:40]!r}")
            n = int(text)
            if (self.minimum is not None and n < self.minimum) or (self.maximum is not None and n > self.maximum):
                raise BadValue(self.variable, "range", f"{n} is not between {self.minimum} and {self.maximum}")
            return Literal(n)
        if self.kind == "iri":
            if not is_iri(text):
                raise BadValue(self.variable, "iri", f"not an absolute IRI: {text[:80]!r}")
            return URIRef(text)
        if self.pattern and not re.search(self.pattern, text):
            raise BadValue(self.variable, "pattern", f"{text[:40]!r} does not match {self.pattern}")
        return Literal(text)


@dataclass(frozen=True)
class Entry:
    name: str
    labels: Mapping[str, str]
    descriptions: Mapping[str, str]
    parameters: tuple[Parameter, ...]

    @property
    def query(self) -> NamedQuery:
        return load(self.name)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels["fr"]

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["fr"]

    def initial(self, today: dt.date) -> dict[str, str]:
        return {p.variable: p.initial(today) for p in self.parameters}

    def bind(self, values: Mapping[str, str]) -> str:
        """The query text with the typed values bound (a missing field counts as empty)."""
        terms = {p.variable: p.term(values.get(p.variable, "")) for p in self.parameters}
        return self.query.inline(**terms)

    def shown(self, values: Mapping[str, str]) -> str:
        """The bound query as the page shows it: without the .rq's comment lines (notes for the project's
        developers, in English; the page describes the query in the reader's language)."""
        return _COMMENT_LINES.sub("", self.bind(values)).lstrip("\n")


@dataclass(frozen=True)
class Catalogue:
    offered: tuple[Entry, ...]
    internal: frozenset[str]

    def get(self, name: str) -> Entry | None:
        return next((e for e in self.offered if e.name == name), None)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _by_lang(g: Graph, node, prop) -> dict[str, str]:
    return {o.language: str(o) for o in g.objects(node, prop) if isinstance(o, Literal) and o.language in LANGS}


def _value(g: Graph, node, prop):
    v = g.value(node, prop)
    return None if v is None else v.toPython() if isinstance(v, Literal) else str(v)


def _parameter(g: Graph, node) -> Parameter:
    datatype = g.value(node, SH.datatype)
    kinds = {XSD.date: "date", XSD.integer: "integer", XSD.string: "string"}
    kind = "iri" if g.value(node, SH.nodeKind) == SH.IRI else kinds[datatype]
    default = _value(g, node, SH.defaultValue)
    return Parameter(
        variable=str(g.value(node, DCIQ.variable)),
        labels=_by_lang(g, node, RDFS.label),
        kind=kind,
        optional=bool(_value(g, node, SH.optional)),
        default=None if default is None else str(default),
        years_before_today=_value(g, node, DCIQ.yearsBeforeToday),
        example=_value(g, node, DCIQ.example),
        pattern=_value(g, node, SH.pattern),
        minimum=_value(g, node, SH.minInclusive),
        maximum=_value(g, node, SH.maxInclusive),
    )


@cache
def catalogue(path: Path = CATALOGUE) -> Catalogue:
    g = Graph().parse(path, format="turtle")
    entries = []
    for node in g.subjects(RDF.type, DCIQ.NamedQuery):
        params = sorted(g.objects(node, SH.parameter), key=lambda p: int(g.value(p, SH.order)))
        entry = Entry(
            name=str(g.value(node, DCTERMS.identifier)),
            labels=_by_lang(g, node, RDFS.label),
            descriptions=_by_lang(g, node, DCTERMS.description),
            parameters=tuple(_parameter(g, p) for p in params),
        )
        entries.append((int(g.value(node, SH.order)), entry.name, entry))
    internal = frozenset(str(g.value(n, DCTERMS.identifier)) for n in g.subjects(RDF.type, DCIQ.InternalQuery))
    return Catalogue(tuple(e for _, _, e in sorted(entries)), internal)
