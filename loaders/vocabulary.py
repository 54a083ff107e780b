"""The linguistic knowledge the legal-text parser needs, read from RDF (ontology + reference data).

Nothing here names an organisation, a verb or a topic: they all come from the graph handed in.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from vocab.lexicon import Lexicon
from vocab.namespaces import DCI, ORG
from vocab.termindex import TermIndex

LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)
_ORG_TYPES = (ORG.Organization, ORG.OrganizationalUnit, ORG.Post)


@dataclass(frozen=True)
class RoleInfo:
    iri: URIRef
    group: URIRef
    rank: int
    with_partner_only: bool


@dataclass(frozen=True)
class CueInfo:
    iri: URIRef
    kind: URIRef
    ends_at: str


@dataclass(frozen=True)
class DatedName:
    """A name an organisation bears over an interval (`dci:OrganisationName`); None is an open bound."""

    label: str
    org: URIRef
    first: dt.date | None
    last: dt.date | None

    def valid_during(self, first: dt.date, last: dt.date) -> bool:
        return (self.first is None or self.first <= last) and (self.last is None or self.last >= first)


@dataclass
class Vocabulary:
    orgs: Lexicon = field(default_factory=Lexicon)
    roles: Lexicon = field(default_factory=Lexicon)
    cues: Lexicon = field(default_factory=Lexicon)
    topics: TermIndex = field(default_factory=TermIndex)
    activities: TermIndex = field(default_factory=TermIndex)
    cooperation: Lexicon = field(default_factory=Lexicon)
    role_info: dict[URIRef, RoleInfo] = field(default_factory=dict)
    cue_info: dict[URIRef, CueInfo] = field(default_factory=dict)
    topics_of_body: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    narrower: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    dated_names: list[DatedName] = field(default_factory=list)
    parents: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # unit -> the bodies it is a unit of
    common_nouns: dict[URIRef, set[str]] = field(default_factory=dict)  # unit -> its one-word lower-case labels

    @classmethod
    def from_graph(cls, g: Graph) -> Vocabulary:
        v = cls()
        org_classes = _subclasses(g, _ORG_TYPES)
        orgs = {s for c in org_classes for s in g.subjects(RDF.type, c)}
        for o in orgs:
            for lab in _labels(g, o, lang="fr"):
                v.orgs.add(lab, o)
            for acr in g.objects(o, DCI.acronym):
                v.orgs.add(str(acr), o)
        v.dated_names = _dated_names(g)
        for link in g.subjects(RDF.type, DCI.UnitLink):
            unit, parent = g.value(link, DCI.unit), g.value(link, DCI.unitOf)
            if unit is not None and parent is not None:
                v.parents.setdefault(unit, set()).add(parent)
        for unit, parent in g.subject_objects(ORG.subOrganizationOf):
            v.parents.setdefault(unit, set()).add(parent)
        for unit in v.parents:
            words = {lab for lab in _labels(g, unit, lang="fr") if lab == lab.lower() and len(lab.split()) == 1}
            if words:
                v.common_nouns[unit] = words

        for r in g.subjects(DCI.verbForm, None):
            group = g.value(r, SKOS.broader)
            rank = g.value(group, DCI.rank) if group is not None else None
            v.role_info[r] = RoleInfo(
                r, group, int(rank) if rank is not None else 99, bool(g.value(r, DCI.withPartnerOnly))
            )
            for form in g.objects(r, DCI.verbForm):
                v.roles.add(str(form), r)

        for c in g.subjects(RDF.type, DCI.Cue):
            v.cue_info[c] = CueInfo(c, g.value(c, DCI.cueKind), str(g.value(c, DCI.endsAt) or ";."))
            for lab in _labels(g, c, lang="fr"):
                v.cues.add(lab, c)

        function_words = frozenset(str(w) for w in g.objects(None, DCI.word))
        v.topics = TermIndex(function_words)
        topic_scheme = URIRef(str(DCI).replace("ontology#", "id/topic"))
        for t in g.subjects(SKOS.inScheme, topic_scheme):
            _add_labels(v.topics, g, t)
            for b in g.objects(t, DCI.competentBody):
                v.topics_of_body.setdefault(b, set()).add(t)
            for parent in g.objects(t, SKOS.broader):
                v.narrower.setdefault(parent, set()).add(t)

        v.activities = TermIndex(function_words)
        activity_scheme = URIRef(str(DCI).replace("ontology#", "id/activity"))
        for a in g.subjects(SKOS.inScheme, activity_scheme):
            _add_labels(v.activities, g, a)

        coop_scheme = URIRef(str(DCI).replace("ontology#", "id/cooperation/"))
        for c in g.subjects(SKOS.inScheme, coop_scheme):
            for lab in g.objects(c, SKOS.hiddenLabel):
                v.cooperation.add(str(lab), c)
        return v

    def at(self, first: dt.date, last: dt.date | None = None) -> Vocabulary:
        """A copy that also knows the dated names valid at some day from `first` to `last` (a text's signature
        and its entry into force): a body is recognised by any name it bore then, never by a later one."""
        last = last or first
        first, last = min(first, last), max(first, last)
        orgs = copy.deepcopy(self.orgs)
        for name in self.dated_names:
            if name.valid_during(first, last):
                orgs.add(name.label, name.org)
        return replace(self, orgs=orgs)

    def about(self, body: URIRef | None) -> Vocabulary:
        """In a text about `body`, a unit of another body is not named by a bare common noun: "cabinet" is the
        DCI's cabinet in the DCI's texts only (changes this vocabulary, which `at` made the text's own)."""
        for unit, words in self.common_nouns.items():
            if body not in self.parents.get(unit, set()):
                for word in words:
                    self.orgs.discard(word, unit)
        return self

    def topics_reserved_to(self, body: URIRef) -> set[URIRef]:
        """Topics belonging to `body`, with everything narrower."""
        out: set[URIRef] = set()
        todo = list(self.topics_of_body.get(body, ()))
        while todo:
            t = todo.pop()
            if t not in out:
                out.add(t)
                todo.extend(self.narrower.get(t, ()))
        return out


def _labels(g: Graph, s: URIRef, lang: str | None = None) -> list[str]:
    out = []
    for p in LABELS:
        for lab in g.objects(s, p):
            if isinstance(lab, Literal) and (lang is None or lab.language in (None, lang)):
                out.append(str(lab))
    return out


def _dated_names(g: Graph) -> list[DatedName]:
    """Every label and acronym of every `dci:OrganisationName`, with its `dci:validFrom` / `dci:validTo`
    (inclusive; a year or year-month bound is taken at its widest)."""
    out: list[DatedName] = []
    for n in g.subjects(RDF.type, DCI.OrganisationName):
        org = g.value(n, DCI.nameOf)
        if not isinstance(org, URIRef):
            continue
        first, last = _bound(g.value(n, DCI.validFrom), start=True), _bound(g.value(n, DCI.validTo), start=False)
        labels = _labels(g, n, lang="fr") + [str(a) for a in g.objects(n, DCI.acronym)]
        out += [DatedName(lab, org, first, last) for lab in sorted(set(labels))]
    return out


def _bound(value: object, *, start: bool) -> dt.date | None:
    if not isinstance(value, Literal):
        return None
    text = str(value)
    try:
        if value.datatype == XSD.gYear:
            return dt.date(int(text[:4]), 1, 1) if start else dt.date(int(text[:4]), 12, 31)
        if value.datatype == XSD.gYearMonth:
            year, month = int(text[:4]), int(text[5:7])
            if start:
                return dt.date(year, month, 1)
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _subclasses(g: Graph, roots: tuple[URIRef, ...]) -> set[URIRef]:
    out, todo = set(), list(roots)
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(g.subjects(RDFS.subClassOf, c))
    return out


def _add_labels(terms: TermIndex, g: Graph, concept: URIRef) -> None:
    """Every label of `concept` (preferred, alternative, hidden) into `terms`, with its language."""
    for p in LABELS:
        for lab in g.objects(concept, p):
            if isinstance(lab, Literal):
                terms.add(str(lab), concept, lab.language)
