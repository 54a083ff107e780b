"""Competence resolution: a question (FR or EN, free text) and a date -> ranked, cited mandates.

The linguistic knowledge (topics, synonyms, broader/narrower, which body a topic belongs to) is read
from the thesaurus in the store; this module only scores how well each mandate in force on the date
covers the topics and organisations the question mentions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal

from kg import queries
from kg.services.timeline import Timeline, build_timeline
from kg.store import Store
from vocab import citations
from vocab.lemmas import warm_up
from vocab.lexicon import Lexicon, tokenize
from vocab.namespaces import DCI
from vocab.termindex import TermIndex
from vocab.terms import as_date

SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
ANCESTOR_DECAY = 0.4
BODY_WEIGHT = 0.6
ORG_WEIGHT = 1.2
# an organisation named in the question that holds the mandate (an attaché, a sub-directorate)
HOLDER_WEIGHT = 0.6
# a mission described by a non-normative source (an embassy page) yields to the text that founds it
DESCRIPTIVE_WEIGHT = 0.8
# a general provision yields to the text in force that details it (lex specialis)
GENERAL_TEXT_WEIGHT = 0.85


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
    detailed_by: set[str] = field(default_factory=set)  # texts based on this mandate's text
    reach: dict[str, float] = field(default_factory=dict)  # topics and their ancestors, with weights

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

    def applicable(self, m: Mandate, at: dt.date) -> bool:
        """In force on `at`, or from the last text held when what superseded it is known from metadata only."""
        if m.in_force(at):
            return True
        ended = m.start is not None and m.start <= at and m.end is not None and m.end < at
        return ended and self.timeline.answers(m.basis["iri"], at)

    def legal_text(self, m: Mandate, at: dt.date) -> dict:
        """The mandate's legal text, with `superseded_by` when a successor has entered into force by `at`."""
        successor = self.timeline.superseded_by(m.basis["iri"], at) if m.normative else None
        return {**m.basis, "superseded_by": successor.as_successor()} if successor else dict(m.basis)

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
    function_words = frozenset(str(r["word"]) for r in store.select(queries.load("function-words").text))
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
        m = mandates.setdefault(str(row["mandate"]), _mandate(row))
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
    return index


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


def _mandate(row: dict) -> Mandate:
    normative = row["nor"] is not None
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


def language_of(index: Index, question: str) -> str:
    """The language of the thesaurus labels the question uses (French when undecided)."""
    votes = [lang for m in index.language_lexicon.find(question) for lang in m.payloads]
    return "en" if votes.count("en") > votes.count("fr") else "fr"


@dataclass
class Scored:
    mandate: Mandate
    score: float
    topics: list[str]
    reasons: list[str]


def resolve(index: Index, question: str, at: dt.date, limit: int = 5) -> dict:
    """The answer of `dci-kg ask --json` and `GET /competence`."""
    lang = language_of(index, question)
    tokens = tokenize(question)
    q_topics = {t for m in index.topic_lexicon.find(question, tokens) for t in m.payloads}
    q_orgs = {o for m in index.org_lexicon.find(question, tokens) for o in m.payloads}
    weights = index.expand(q_topics)

    in_force = [m for m in index.mandates if index.applicable(m, at)]
    n = max(len(in_force), 1)
    # a topic is as common as the mandates that cover it, directly or through its competent body
    df = {t: sum(1 for m in in_force if _covers(index, m, t)) for t in weights}

    def idf(t: str) -> float:
        return math.log(1 + n / (1 + df.get(t, 0)))

    live_texts = {m.basis["iri"] for m in in_force}
    scored = [s for m in in_force if (s := _score(index, m, weights, q_orgs, idf, lang)).score > 0]
    for s in scored:
        if s.mandate.detailed_by & live_texts:
            s.score = round(s.score * GENERAL_TEXT_WEIGHT, 4)
    scored.sort(key=lambda s: (-s.score, s.mandate.role_rank, s.mandate.iri))

    answers = []
    excluded = _exclusion(index, weights, in_force)
    if excluded is not None:
        answers.append(_excluded_answer(index, excluded, in_force, lang, q_topics, at))
    for s in scored[: max(limit - len(answers), 0)]:
        answers.append(_answer(index, s, lang, at))
    for rank, a in enumerate(answers, start=1):
        a["rank"] = rank
    return {"question": question, "at": at.isoformat(), "answers": answers}


def _score(index: Index, m: Mandate, weights: dict[str, float], q_orgs: set[str], idf, lang: str) -> Scored:
    score, matched, reasons = 0.0, [], []
    bens = set(m.beneficiaries)
    spread = math.sqrt(max(len(bens), 1))
    for t, w in weights.items():
        if t in m.reach:
            score += w * m.reach[t] * idf(t)
            matched.append(t)
        elif index.bodies.get(t, set()) & bens:
            score += w * BODY_WEIGHT * idf(t) / spread
            matched.append(t)
    for o in q_orgs:
        if o in bens:
            score += ORG_WEIGHT / spread
            reasons.append(index.orgs.get(o, Org(o, o, o)).acronym)
        elif o in m.partners:
            score += ORG_WEIGHT / 2
            reasons.append(index.orgs.get(o, Org(o, o, o)).acronym)
        elif o == m.holder and score > 0:
            score += HOLDER_WEIGHT
    return Scored(m, round(score * (1.0 if m.normative else DESCRIPTIVE_WEIGHT), 4), matched, reasons)


def _covers(index: Index, m: Mandate, t: str) -> bool:
    return t in m.reach or bool(index.bodies.get(t, set()) & set(m.beneficiaries))


def _exclusion(index: Index, weights: dict[str, float], in_force: list[Mandate]) -> Exclusion | None:
    live = {m.iri for m in in_force}
    direct = {t for t, w in weights.items() if w == 1.0}
    for ex in index.exclusions:
        if ex.mandate in live and ex.topics & direct:
            return ex
    return None


def _label(index: Index, topic: str, lang: str) -> str:
    labels = index.topic_labels.get(topic, {})
    return labels.get(lang) or labels.get("fr") or topic.rsplit("/", 1)[-1]


def _org_list(index: Index, iris: list[str], lang: str, at: dt.date) -> list[dict]:
    return [index.org_json(i, lang, at) for i in iris]


def _mandate_json(index: Index, m: Mandate, at: dt.date) -> dict:
    return {
        "iri": m.iri,
        "article": m.article,
        "letter": m.letter,
        "text": m.text,
        "legal_text": index.legal_text(m, at),
    }


def _answer(index: Index, s: Scored, lang: str, at: dt.date) -> dict:
    m = s.mandate
    topics = [
        _label(index, t, lang)
        for t in sorted(s.topics, key=lambda t: (-len(_label(index, t, lang)), _label(index, t, lang)))
    ]
    return {
        "rank": 0,
        "score": s.score,
        "role": m.role,
        "mandate": _mandate_json(index, m, at),
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": _org_list(index, m.beneficiaries, lang, at),
        "partners": _org_list(index, m.partners, lang, at),
        "topics": topics,
        "explanation": _explain(m, topics, s.reasons, lang),
        "reserved_to": None,
    }


def _where(m: Mandate) -> str:
    if m.article is None:
        return m.basis["title"]
    ref = m.basis["nor"] or m.basis["title"]
    return f"{citations.provision(m.article, m.letter)} ({ref})"


def _explain(m: Mandate, topics: list[str], orgs: list[str], lang: str) -> str:
    what = ", ".join(topics[:4]) or "—"
    who = f"; {'organisations citées' if lang == 'fr' else 'organisations named'} : {', '.join(orgs)}" if orgs else ""
    if lang == "fr":
        return f"{_where(m)} couvre : {what}{who}"
    return f"{_where(m)} covers: {what}{who}".replace(" : ", ": ")


def _excluded_answer(
    index: Index, ex: Exclusion, in_force: list[Mandate], lang: str, q_topics: set[str], at: dt.date
) -> dict:
    m = next(x for x in in_force if x.iri == ex.mandate)
    reserved = sorted(ex.reserved_to)
    body = index.orgs.get(reserved[0], Org(reserved[0], "", reserved[0]))
    topics = [_label(index, t, lang) for t in sorted(q_topics & ex.topics)]
    if lang == "fr":
        why = f"non compétent — réservé à : {body.label} ({ex.text}, {_where(m)})"
    else:
        why = f"not competent — reserved to: {body.label_en or body.label} ({ex.text}, {_where(m)})"
    return {
        "rank": 0,
        "score": 1.0,
        "role": "excluded",
        "mandate": {**_mandate_json(index, m, at), "letter": None},
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": [],
        "partners": [],
        "topics": topics,
        "explanation": why,
        "reserved_to": index.org_json(body.iri, lang, at),
    }
