"""The competence index: the mandates, organisations, exclusions and thesaurus of the store, built once per
store generation; and a scored mandate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal

from kg import queries
from kg.services.competence.casedata import CaseData, build_case_data
from kg.services.competence.facets import (
    Activities,
    TextKinds,
    TextNames,
    read_activities,
    read_text_kinds,
    read_text_names,
)
from kg.services.timeline import Timeline, build_timeline
from kg.store import Store
from vocab.lemmas import warm_up
from vocab.lexicon import Lexicon, tokenize
from vocab.namespaces import DCI
from vocab.termindex import TermIndex
from vocab.terms import as_date

ANCESTOR_DECAY = 0.4
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


@dataclass
class Org:
    iri: str
    acronym: str
    label: str
    label_en: str = ""

    def as_json(self, lang: str = "fr") -> dict:
        return {
            "iri": self.iri,
            "acronym": self.acronym,
            "label": self.label if lang == "fr" else self.label_en or self.label,
        }


@dataclass
class Mandate:
    iri: str
    holder: str
    role: str
    role_rank: int
    text: str
    article: str | None
    letter: str | None
    basis: dict
    start: dt.date | None
    end: dt.date | None
    normative: bool
    beneficiaries: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    activities: set[str] = field(default_factory=set)
    text_kind: str | None = None  # the kind of its legal text (décret, arrêté), from the text's title
    detailed_by: set[str] = field(default_factory=set)  # texts based on this mandate's text
    cooperation_types: set[str] = field(default_factory=set)
    reach: dict[str, float] = field(default_factory=dict)  # topics and their ancestors, with weights
    detailed_in: list[str] = field(default_factory=list)  # the items of the texts detailing this item (lex specialis)

    def in_force(self, at: dt.date) -> bool:
        if not self.normative:
            return True
        if self.start is None or self.start > at:
            return False
        return self.end is None or at <= self.end


@dataclass
class Exclusion:
    mandate: str
    text: str
    reserved_to: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)


@dataclass
class Index:
    """Everything the resolver needs, read once from the store (small: tens of mandates)."""

    mandates: list[Mandate]
    exclusions: list[Exclusion]
    orgs: dict[str, Org]
    topic_labels: dict[str, dict[str, str]]
    broader: dict[str, set[str]]
    bodies: dict[str, set[str]]
    topic_lexicon: TermIndex
    org_lexicon: Lexicon
    language_lexicon: TermIndex = field(default_factory=TermIndex)  # thesaurus labels -> their language tag
    timeline: Timeline = field(default_factory=Timeline)  # texts' successors, organisations' dated names
    casedata: CaseData = field(default_factory=CaseData)  # countries, coverage, units (the case file)
    activities: Activities = field(default_factory=Activities)  # the activity facet, beside the topics
    text_kinds: TextKinds = field(default_factory=TextKinds)
    word_languages: dict[str, str] = field(default_factory=dict)  # a function word of one language -> it
    text_names: TextNames = field(default_factory=TextNames)  # a text's number or NOR -> the text

    def applicable(self, m: Mandate, at: dt.date) -> bool:
        """In force on `at`, or from the last text held when what superseded it is known from metadata only."""
        if m.in_force(at):
            return True
        ended = m.start is not None and m.start <= at and m.end is not None and m.end < at
        return ended and self.timeline.answers(m.basis["iri"], at)

    def legal_text(self, m: Mandate, at: dt.date) -> dict:
        """The mandate's legal text, with the certainty of its end and whether it is held in part, and
        `superseded_by` when a successor has entered into force by `at` (`then`: the texts that followed it)."""
        text = self.timeline.texts.get(m.basis["iri"]) if m.normative else None
        out = {
            **m.basis,
            "in_force_to_certainty": self.timeline.end_certainty(m.basis["iri"]) if text else None,
            "partial": text.partial if text else False,
        }
        chain = self.timeline.chain(m.basis["iri"], at) if text else []
        if chain:
            out["superseded_by"] = {**chain[0].as_successor(), "then": [t.as_successor() for t in chain[1:]]}
        return out

    def org_json(self, iri: str, lang: str = "fr", at: dt.date | None = None) -> dict:
        """An organisation as it was named on `at` (its dated names), else under its usual labels."""
        out = self.orgs.get(iri, Org(iri, "", iri)).as_json(lang)
        name = self.timeline.name(iri, at) if at is not None else None
        if name is not None:
            out["acronym"] = name.acronym or out["acronym"]
            out["label"] = name.labels.get(lang) or name.labels.get("fr") or out["label"]
        return out

    def expand(self, topics: set[str]) -> dict[str, float]:
        """Topics with their ancestors, weighted ANCESTOR_DECAY ** distance (the closest wins)."""
        out: dict[str, float] = {}
        for t in topics:
            for anc, depth in self.ancestors(t).items():
                if depth and not self.broader.get(anc):
                    continue  # a top concept is too general to tell mandates apart
                out[anc] = max(out.get(anc, 0.0), ANCESTOR_DECAY**depth)
        return out

    def ancestors(self, topic: str) -> dict[str, int]:
        """Ancestors of a topic with their distance (the topic itself at 0)."""
        out: dict[str, int] = {topic: 0}
        frontier = [topic]
        depth = 0
        while frontier:
            depth += 1
            nxt = []
            for t in frontier:
                for b in self.broader.get(t, ()):
                    if b not in out:
                        out[b] = depth
                        nxt.append(b)
            frontier = nxt
        return out


def build_index(store: Store) -> Index:
    orgs = _organisations(store)
    topic_labels: dict[str, dict[str, str]] = defaultdict(dict)
    broader: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, set[str]] = defaultdict(set)
    warm_up()  # the lemmatiser's dictionaries, read once per process
    words = [r["word"] for r in store.select(queries.load("function-words").text)]
    function_words = frozenset(str(w) for w in words)
    topic_lexicon = TermIndex(function_words)
    language_lexicon = TermIndex(function_words)
    for row in store.select(queries.load("thesaurus").text):
        t = str(row["topic"])
        if row["label"] is not None:
            label = row["label"]
            lang = label.language if isinstance(label, Literal) else None
            topic_lexicon.add(str(label), t, lang)
            if lang:
                language_lexicon.add(str(label), lang, lang)
            if str(row["labelKind"]) == SKOS_PREF and isinstance(label, Literal):
                topic_labels[t][label.language or "fr"] = str(label)
        if row["broader"] is not None:
            broader[t].add(str(row["broader"]))
        if row["body"] is not None:
            bodies[t].add(str(row["body"]))

    org_lexicon = Lexicon()
    for row in store.select(queries.load("organisations").text):
        if row["label"] is not None:
            org_lexicon.add(str(row["label"]), str(row["org"]))
        if row["acronym"] is not None:
            org_lexicon.add(str(row["acronym"]), str(row["org"]))

    mandates: dict[str, Mandate] = {}
    for row in store.select(queries.load("mandates").text):
        m = mandates.setdefault(str(row["mandate"]), mandate_of(row))
        if row["detailedBy"] is not None:
            m.detailed_by.add(str(row["detailedBy"]))
    for row in store.select(queries.load("mandate-links").text):
        m = mandates.get(str(row["mandate"]))
        if m is None:
            continue
        rel, target = str(row["relation"]), str(row["target"])
        if rel == str(DCI.beneficiary):
            m.beneficiaries.append(target)
        elif rel == str(DCI.partner):
            m.partners.append(target)
        elif rel == str(DCI.topic):
            m.topics.add(target)
        elif rel == str(DCI.cooperationType):
            m.cooperation_types.add(target)
        elif rel == str(DCI.activity):
            m.activities.add(target)
    for m in mandates.values():  # the same order on every backend (stores iterate in their own order)
        m.beneficiaries.sort()
        m.partners.sort()

    exclusions: dict[str, Exclusion] = {}
    for row in store.select(queries.load("exclusions").text):
        key = str(row["exclusion"])
        ex = exclusions.setdefault(key, Exclusion(str(row["mandate"]), str(row["text"] or "")))
        ex.reserved_to.add(str(row["reservedTo"]))
        if row["topic"] is not None:
            ex.topics.add(str(row["topic"]))
    index = Index(
        sorted(mandates.values(), key=lambda m: m.iri),
        list(exclusions.values()),
        orgs,
        dict(topic_labels),
        dict(broader),
        dict(bodies),
        topic_lexicon,
        org_lexicon,
        language_lexicon,
    )
    for m in index.mandates:
        m.reach = index.expand(m.topics)
    index.timeline = build_timeline(store)
    index.casedata = build_case_data(store)
    index.activities = read_activities(store, function_words)
    index.text_kinds = read_text_kinds(store, function_words)
    topic_lexicon.learn_spelling(index.activities.lexicon)  # the question's words are read once for both
    for m in index.mandates:
        m.text_kind = index.text_kinds.of_title(m.basis["title"]) if m.normative else None
    index.text_names = read_text_names(m.basis for m in index.mandates if m.normative)
    _link_detailing_items(index)
    index.word_languages = _word_languages(words)
    return index


def _link_detailing_items(index: Index) -> None:
    """An item of a general text (décret 2013-728 art. 23, 1° to 4°) is detailed by the items of the texts based
    on it that its holder holds for the same cooperation type (or a narrower one: civil-security cooperation is
    technical) and, where it names beneficiaries, for one of them (the arrêté's items a, b and h detail 1°)."""
    items = [m for m in index.mandates if m.normative and m.letter is not None]
    for g in items:
        if not g.detailed_by or not g.cooperation_types:
            continue
        bens = set(g.beneficiaries)
        g.detailed_in = sorted(
            m.iri
            for m in items
            if m.basis["iri"] in g.detailed_by
            and m.holder == g.holder
            and index.casedata.with_broader(m.cooperation_types) & g.cooperation_types
            and (not bens or bens & set(m.beneficiaries))
        )


def _word_languages(words: list) -> dict[str, str]:
    """Function words (language-tagged literals) that belong to one language only, folded like tokens."""
    langs: dict[str, set[str]] = defaultdict(set)
    for w in words:
        for t in tokenize(str(w)):
            langs[t.norm].add(getattr(w, "language", None) or "")
    return {w: next(iter(ls)) for w, ls in langs.items() if len(ls) == 1 and "" not in ls}


def _organisations(store: Store) -> dict[str, Org]:
    orgs: dict[str, Org] = {}
    for row in store.select(queries.load("organisations").text):
        iri = str(row["org"])
        o = orgs.setdefault(iri, Org(iri, "", ""))
        if row["acronym"] is not None and not o.acronym:
            o.acronym = str(row["acronym"])
        if row["key"] is not None and not o.acronym:
            o.acronym = str(row["key"])
        label = row["label"]
        if label is not None and str(row["labelKind"]) == SKOS_PREF and isinstance(label, Literal):
            if label.language == "en":
                o.label_en = str(label)
            else:
                o.label = str(label)
    for o in orgs.values():
        o.label = o.label or o.label_en or o.acronym
    return orgs


def mandate_of(row: dict) -> Mandate:
    normative = str(row["legal"]).lower() in ("true", "1")  # a legal text, with or without a NOR
    start = as_date(row["from"])
    if normative and start is None:
        # entry into force not retrieved: the text counts from its own date, never earlier
        start = as_date(row["dateDocument"])
    kind = str(row["kind"] or "")
    letter = None
    if row["number"] is not None and kind.endswith("Item"):
        letter = str(row["letter"]) if row["letter"] is not None else f"{row['number']}°"
    basis = {
        "iri": str(row["basis"]),
        "title": str(row["basisTitle"] or ""),
        "nor": str(row["nor"]) if row["nor"] is not None else None,
        "eli": str(row["eli"]) if row["eli"] is not None else None,
        "in_force_from": str(row["from"]) if row["from"] is not None else None,
        "in_force_to": str(row["to"]) if row["to"] is not None else None,
    }
    return Mandate(
        iri=str(row["mandate"]),
        holder=str(row["holder"]),
        role=str(row["role"]),
        role_rank=int(row["roleRank"]),
        text=str(row["text"] or ""),
        article=str(row["articleNumber"]) if row["articleNumber"] is not None else None,
        letter=letter,
        basis=basis,
        start=start,
        end=as_date(row["to"]),
        normative=normative,
    )


@dataclass
class Scored:
    mandate: Mandate
    score: float
    topics: list[str]
    reasons: list[str]
