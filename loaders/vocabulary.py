"""The linguistic knowledge the legal-text parser needs, read from RDF (ontology + reference data).

Nothing here names an organisation, a verb or a topic: they all come from the graph handed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

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
            for p in LABELS:
                for lab in g.objects(t, p):
                    if isinstance(lab, Literal):
                        v.topics.add(str(lab), t, lab.language)
            for b in g.objects(t, DCI.competentBody):
                v.topics_of_body.setdefault(b, set()).add(t)
            for parent in g.objects(t, SKOS.broader):
                v.narrower.setdefault(parent, set()).add(t)

        v.activities = TermIndex(function_words)
        activity_scheme = URIRef(str(DCI).replace("ontology#", "id/activity"))
        for a in g.subjects(SKOS.inScheme, activity_scheme):
            for p in LABELS:
                for lab in g.objects(a, p):
                    if isinstance(lab, Literal):
                        v.activities.add(str(lab), a, lab.language)

        coop_scheme = URIRef(str(DCI).replace("ontology#", "id/cooperation/"))
        for c in g.subjects(SKOS.inScheme, coop_scheme):
            for lab in g.objects(c, SKOS.hiddenLabel):
                v.cooperation.add(str(lab), c)
        return v

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


def _subclasses(g: Graph, roots: tuple[URIRef, ...]) -> set[URIRef]:
    out, todo = set(), list(roots)
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(g.subjects(RDFS.subClassOf, c))
    return out
