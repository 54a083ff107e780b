"""What a competence case file needs beside the ranking, read once per store generation with the index: the
names of countries, which internal security service covers which country (and on what source), the dated
unit links (which unit of a directorate carries a case), the broader cooperation types, the statuses of
instruments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal

from kg import queries
from kg.settings import get_settings
from kg.store import Store
from vocab.lexicon import Lexicon


def period_covers(start: str | None, end: str | None, at: dt.date) -> bool:
    """Whether `at` falls in a period whose bounds may be a date, a year-month or a year (compared on the
    precision each bound has: "2015" covers every day of 2015)."""
    day = at.isoformat()
    return (not start or start <= day[: len(start)]) and (not end or end >= day[: len(end)])


@dataclass
class Coverage:
    iri: str
    country: str
    service: str
    start: str | None
    end: str | None
    certainty: str | None
    sources: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class UnitLink:
    unit: str
    parent: str
    start: str | None
    end: str | None


@dataclass
class Status:
    code: str
    stage: int
    date_property: str | None
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class CaseData:
    countries: Lexicon = field(default_factory=Lexicon)
    country_codes: dict[str, str] = field(default_factory=dict)  # country IRI -> ISO alpha-2
    country_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    coverage: dict[str, list[Coverage]] = field(default_factory=dict)  # country IRI -> its coverages
    units: dict[str, list[UnitLink]] = field(default_factory=dict)  # parent -> its unit links
    cooperation_broader: dict[str, set[str]] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)  # code -> status
    margin: float = 0.15  # DCIKG_COMPETENCE_AMBIGUITY_MARGIN, read once with the index
    instruments_shown: int = 10  # DCIKG_COMPETENCE_INSTRUMENTS_SHOWN, read once with the index
    reach_cache: dict[str, frozenset[str]] = field(default_factory=dict)  # topic -> it and its ancestors
    units_cache: dict[tuple[str, dt.date], tuple[str, ...]] = field(default_factory=dict)
    unit_mandates_cache: dict[tuple[str, dt.date], list] = field(default_factory=dict)

    def units_of(self, org: str, at: dt.date) -> tuple[str, ...]:
        """The units of `org` on `at`, and theirs, nearest first (kept per index: the links do not change)."""
        found = self.units_cache.get((org, at))
        if found is not None:
            return found
        out: list[str] = []
        frontier = [org]
        while frontier:
            nxt = []
            for parent in frontier:
                for link in self.units.get(parent, ()):
                    if period_covers(link.start, link.end, at) and link.unit not in out and link.unit != org:
                        out.append(link.unit)
                        nxt.append(link.unit)
            frontier = nxt
        if len(self.units_cache) > 10_000:  # one entry per (holder, date asked): bounded
            self.units_cache.clear()
        found = self.units_cache[org, at] = tuple(out)
        return found

    def statuses_by_date_property(self) -> dict[str, list[tuple[int, str]]]:
        """date property -> the (stage, code) of the statuses it dates."""
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for s in self.statuses.values():
            if s.date_property is not None:
                out[s.date_property].append((s.stage, s.code))
        return dict(out)

    def statuses_key(self) -> tuple[tuple[str, int, str | None], ...]:
        """What an instrument's status timeline depends on: a cache of timelines is keyed by it."""
        return tuple(sorted((s.code, s.stage, s.date_property) for s in self.statuses.values()))

    def with_broader(self, types: set[str]) -> set[str]:
        out, todo = set(types), list(types)
        while todo:
            for b in self.cooperation_broader.get(todo.pop(), ()):
                if b not in out:
                    out.add(b)
                    todo.append(b)
        return out


def _lang_of(value: object) -> str:
    return (value.language if isinstance(value, Literal) else None) or "fr"


def build_case_data(store: Store) -> CaseData:
    settings = get_settings()
    data = CaseData(
        margin=settings.competence_ambiguity_margin, instruments_shown=settings.competence_instruments_shown
    )
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(queries.load("country-names").text):
        iri = str(row["country"])
        data.countries.add(str(row["label"]), iri)
        data.country_codes[iri] = str(row["code"])
        if str(row["kind"]).endswith("prefLabel"):
            labels[iri][_lang_of(row["label"])] = str(row["label"])
    data.country_labels = dict(labels)

    coverage: dict[str, Coverage] = {}
    for row in store.select(queries.load("country-coverage").text):
        c = coverage.setdefault(
            str(row["coverage"]),
            Coverage(
                str(row["coverage"]),
                str(row["country"]),
                str(row["service"]),
                str(row["from"]) if row["from"] is not None else None,
                str(row["to"]) if row["to"] is not None else None,
                str(row["certainty"]) if row["certainty"] is not None else None,
            ),
        )
        if row["source"] is not None:
            c.sources.add(str(row["source"]))
        if row["label"] is not None:
            c.labels[_lang_of(row["label"])] = str(row["label"])
    by_country: dict[str, list[Coverage]] = defaultdict(list)
    for c in sorted(coverage.values(), key=lambda c: (c.start or "", c.iri)):
        by_country[c.country].append(c)
    data.coverage = dict(by_country)

    units: dict[str, list[UnitLink]] = defaultdict(list)
    for row in store.select(queries.load("unit-tree").text):
        units[str(row["parent"])].append(
            UnitLink(
                str(row["unit"]),
                str(row["parent"]),
                str(row["from"]) if row["from"] is not None else None,
                str(row["to"]) if row["to"] is not None else None,
            )
        )
    data.units = {p: sorted(links, key=lambda u: u.unit) for p, links in units.items()}

    broader: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.load("cooperation-broader").text):
        broader[str(row["type"])].add(str(row["broader"]))
    data.cooperation_broader = dict(broader)

    for row in store.select(queries.load("status-labels").text):
        code = str(row["code"])
        s = data.statuses.setdefault(
            code,
            Status(
                code,
                int(row["stage"]) if row["stage"] is not None else 0,
                str(row["dateProperty"]) if row["dateProperty"] is not None else None,
            ),
        )
        if row["label"] is not None:
            s.labels[_lang_of(row["label"])] = str(row["label"])
    return data
