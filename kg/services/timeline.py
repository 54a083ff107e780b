"""The law and the organisations over time: which legal text answers on a date (and what superseded it),
and the name an organisation bore on that date. Read once from the store, like the competence index.

A text answers on a date when it has entered into force and no text that replaces it, and whose articles
are all held, has entered into force by then. When only successors known from their metadata, or held in
part (`dci:partial`), have, the text still answers, marked `superseded_by` — never silently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kg import queries
from kg.store import Store


def day(value: object, *, last: bool = False) -> dt.date | None:
    """An xsd:date, xsd:gYearMonth or xsd:gYear as a day: the first of its period, or the last with `last`."""
    if value is None:
        return None
    text = str(value)
    try:
        if len(text) >= 10:
            return dt.date.fromisoformat(text[:10])
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            if not last:
                return dt.date(y, m, 1)
            return dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if len(text) == 4:
            return dt.date(int(text), 12, 31) if last else dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


@dataclass
class Text:
    iri: str
    title: str = ""
    nor: str | None = None
    key: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    by: dt.date | None = None  # known to be in force by this date (entry into force not retrieved)
    start_certainty: str | None = None
    certainty: str | None = None
    end_certainty: str | None = None  # recorded (dci:endCertainty); else that of the successor's start
    jorf: str | None = None
    held: bool = False
    partial: bool = False  # only part of its articles are held
    successors: list[str] = field(default_factory=list)

    def started(self, at: dt.date) -> bool:
        known = self.start or self.by
        return known is not None and known <= at

    def as_successor(self) -> dict:
        return {
            "iri": self.iri,
            "title": self.title,
            "nor": self.nor,
            "jorf": self.jorf,
            "in_force_from": self.start.isoformat() if self.start else None,
            "in_force_by": self.by.isoformat() if self.by and not self.start else None,
            "text_held": self.held,
            "partial": self.partial,
            "certainty": (self.start_certainty if self.start else None) or self.certainty,
        }

    @property
    def complete(self) -> bool:
        """Its articles are all held: it answers alone, and ends the answers of the texts it replaces."""
        return self.held and not self.partial


@dataclass
class Name:
    iri: str
    org: str
    acronym: str
    labels: dict[str, str]
    start: dt.date | None
    end: dt.date | None
    attested: dt.date | None
    certainty: str | None
    end_certainty: str | None = None

    def covers(self, at: dt.date) -> bool:
        first = self.start or self.attested
        return first is not None and first <= at and (self.end is None or at <= self.end)

    def as_json(self) -> dict:
        return {
            "acronym": self.acronym,
            "valid_from": self.start.isoformat() if self.start else None,
            "valid_to": self.end.isoformat() if self.end else None,
            "attested_on": self.attested.isoformat() if self.attested else None,
            "certainty": self.certainty,
            "end_certainty": self.end_certainty,
        }


@dataclass
class Timeline:
    texts: dict[str, Text] = field(default_factory=dict)
    names: dict[str, list[Name]] = field(default_factory=dict)

    def superseded_by(self, text: str, at: dt.date) -> Text | None:
        """The first successor of `text` that has entered into force by `at`, if any."""
        t = self.texts.get(text)
        if t is None:
            return None
        started = [self.texts[s] for s in t.successors if s in self.texts and self.texts[s].started(at)]
        return min(started, key=lambda s: (s.start or s.by, s.iri)) if started else None

    def chain(self, text: str, at: dt.date) -> list[Text]:
        """The successors that followed one another by `at`: the one that replaced `text`, the one that
        replaced it, and so on (the last is the text in force on `at`)."""
        out: list[Text] = []
        nxt = self.superseded_by(text, at)
        while nxt is not None and nxt not in out:
            out.append(nxt)
            nxt = self.superseded_by(nxt.iri, at)
        return out

    def end_certainty(self, text: str) -> str | None:
        """How certain a text's end is: as recorded, else that of the entry into force of the text
        replacing it, if known."""
        t = self.texts.get(text)
        if t is None or t.end is None:
            return None
        if t.end_certainty:
            return t.end_certainty
        starts = [self.texts[s] for s in t.successors if s in self.texts and self.texts[s].start]
        return (starts[0].start_certainty or starts[0].certainty) if starts else None

    def partial_successors(self, text: str, at: dt.date) -> set[str]:
        """The successors held in part that are in force on `at` in the chain after `text`."""
        return {s.iri for s in self.chain(text, at) if s.held and s.partial}

    def answers(self, text: str, at: dt.date) -> bool:
        """Whether a text that has entered into force still answers on `at`: no successor whose articles
        are held has entered into force by then (directly or further down the chain)."""
        seen: set[str] = set()
        todo = list(self.texts[text].successors) if text in self.texts else []
        while todo:
            s = self.texts.get(todo.pop())
            if s is None or s.iri in seen or not s.started(at):
                continue
            seen.add(s.iri)
            if s.complete:
                return False
            todo += s.successors
        return True

    def name(self, org: str, at: dt.date) -> Name | None:
        """The name in force on `at`: of the names covering it, the one that started (or is attested) last."""
        live = [n for n in self.names.get(org, ()) if n.covers(at)]
        return max(live, key=lambda n: n.start or n.attested) if live else None


def build_timeline(store: Store) -> Timeline:
    tl = Timeline()
    for row in store.select(queries.load("text-timeline").text):
        iri = str(row["text"])
        t = tl.texts.get(iri)
        if t is None:
            t = tl.texts[iri] = Text(
                iri,
                title=str(row["title"] or ""),
                nor=str(row["nor"]) if row["nor"] is not None else None,
                key=str(row["key"]) if row["key"] is not None else None,
                start=day(row["from"]),
                end=day(row["to"], last=True),
                by=day(row["by"]),
                start_certainty=str(row["fromCertainty"]) if row["fromCertainty"] is not None else None,
                certainty=str(row["certainty"]) if row["certainty"] is not None else None,
                end_certainty=str(row["endCertainty"]) if row["endCertainty"] is not None else None,
                jorf=str(row["jorf"]) if row["jorf"] is not None else None,
                held=str(row["held"]).lower() in ("true", "1"),
                partial=str(row["partial"]).lower() in ("true", "1"),
            )
        if row["successor"] is not None and str(row["successor"]) not in t.successors:
            t.successors.append(str(row["successor"]))
    for t in tl.texts.values():
        t.successors.sort()
    for row in store.select(queries.load("org-names").text):
        org, iri = str(row["org"]), str(row["name"])
        names = tl.names.setdefault(org, [])
        n = next((x for x in names if x.iri == iri), None)
        if n is None:
            n = Name(
                iri,
                org,
                str(row["acronym"] or ""),
                {},
                day(row["from"]),
                day(row["to"], last=True),
                day(row["attested"]),
                str(row["certainty"]) if row["certainty"] is not None else None,
                str(row["endCertainty"]) if row["endCertainty"] is not None else None,
            )
            names.append(n)
        label = row["label"]
        if label is not None:
            n.labels[getattr(label, "language", None) or "fr"] = str(label)
    for names in tl.names.values():
        names.sort(key=lambda n: (n.start or n.attested or dt.date.min, n.acronym))
    return tl
