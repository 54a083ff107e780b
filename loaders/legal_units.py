"""Organisation texts: "X comprend : ― la sous-direction … ; ― le bureau …" creates the units of X.

A unit already named in the reference data keeps its IRI; a new one is minted under its parent, typed
`org:OrganizationalUnit`, with the text as its source and a dated unit link (the text's in-force dates).
A body is recognised by its undated labels and by the dated names (`dci:OrganisationName`) valid at the
text's date. A unit's name joins the document's lexicon, so the articles that follow recognise it as the
holder of its mandates.
A parent that is neither known nor created earlier in the text is minted under the organisation the
title names (`… portant organisation interne du secrétariat général …`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from loaders.vocabulary import Vocabulary
from vocab.lexicon import fold, tokenize
from vocab.namespaces import DCI, ORG

DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")
CERTAIN = URIRef("https://w3id.org/dci-kg/id/certainty/certain")
_ARTICLE_WORDS = re.compile(r"^(?:(?:les|le|la|des|du|une|un)\s+|l['’]\s*)", re.IGNORECASE)
# a name ends before ", dirigé par …", " est …", " qui …" or the list's punctuation; "division des études, analyses
# et instruments" keeps its commas
_NAME_END = re.compile(r",\s*\w+(?:é|ée|és|ées)\b|\s(?:est|sont|qui|dont)\s|\s*[;.:]\s*$|\s*:")


@dataclass
class MintedUnit:
    iri: URIRef
    name: str
    parent: URIRef | None


@dataclass
class Units:
    """The units one document creates, and the vocabulary that knows their names."""

    vocab: Vocabulary
    text_iri: URIRef
    text_org: URIRef | None
    minted: dict[URIRef, MintedUnit] = field(default_factory=dict)

    @classmethod
    def for_document(cls, vocab: Vocabulary, text_iri: URIRef, title: str, first: dt.date, last: dt.date) -> Units:
        """The document's own vocabulary: the names valid from its signature (`first`) to its entry into force
        (`last`), and the units it creates as it goes."""
        own = vocab.at(first, last)
        found = own.orgs.find(title, tokenize(title))
        text_org = sorted(found[0].payloads)[0] if found else None
        return cls(own.about(text_org), text_iri, text_org)

    def entry(self, text: str, parent: URIRef | None) -> URIRef | None:
        """The unit an entry of a composition list names: a known one, or a new one of `parent`."""
        name = unit_name(text)
        if not name:
            return None
        tokens = tokenize(name)
        known = [m for m in self.vocab.orgs.find(name, tokens) if m.first == 0 and m.last == len(tokens)]
        if known:
            return sorted(known[0].payloads)[0]
        return self.mint(name, parent)

    def subject(self, text: str, within: URIRef | None = None) -> URIRef | None:
        """The organisation an unknown sentence subject names ("La direction des … comprend :"): a unit of
        `within`, else of the organisation the title names."""
        if not _ARTICLE_WORDS.match(text):
            return None
        return self.mint(unit_name(text), within or self.text_org) if unit_name(text) else None

    def body_of(self, phrase: str, parent: URIRef) -> URIRef | None:
        """A body a subject names through another ("le cabinet du secrétaire général")."""
        name = unit_name(phrase)
        return self.mint(name, parent) if name else None

    def short_name(self, phrase: str) -> URIRef | None:
        """The one unit created earlier whose name the phrase begins ("bureau des élections" for "bureau des
        élections et des études politiques"); None when no unit or several fit."""
        name = fold(unit_name(phrase))
        if len(name.split()) < 3:
            return None
        fits = [u.iri for u in self.minted.values() if fold(u.name).startswith((name + " et ", name + ", "))]
        return fits[0] if len(fits) == 1 else None

    def mint(self, name: str, parent: URIRef | None) -> URIRef:
        base = parent if parent is not None else self.text_iri
        iri = URIRef(f"{base}/unit/{slug(name)}")
        if iri not in self.minted:
            self.minted[iri] = MintedUnit(iri, name, parent)
            self.vocab.orgs.add(name, iri)
        return iri

    def to_graph(self, g: Graph, meta: dict, key: str) -> None:
        for u in self.minted.values():
            g.add((u.iri, RDF.type, ORG.OrganizationalUnit))
            g.add((u.iri, DCI.key, Literal(f"{key}/{slug(u.name)}")))
            for p in (SKOS.prefLabel, RDFS.label):
                g.add((u.iri, p, Literal(u.name, lang="fr")))
                g.add((u.iri, p, Literal(f"{u.name} (French name; no translation recorded)", lang="en")))
            g.add((u.iri, DCT_SOURCE, self.text_iri))
            g.add((u.iri, DCI.establishedBy, self.text_iri))
            if u.parent is None:
                continue
            g.add((u.iri, ORG.subOrganizationOf, u.parent))
            link = URIRef(f"{u.iri}/link")
            g.add((link, RDF.type, DCI.UnitLink))
            g.add((link, DCI.unit, u.iri))
            g.add((link, DCI.unitOf, u.parent))
            g.add((link, DCT_SOURCE, self.text_iri))
            g.add((link, DCI.certainty, CERTAIN))
            label = f"{u.name} ({key})"
            g.add((link, SKOS.prefLabel, Literal(label, lang="fr")))
            g.add((link, SKOS.prefLabel, Literal(label, lang="en")))
            g.add((link, RDFS.label, Literal(label, lang="fr")))
            for meta_key, prop in (("in_force_from", DCI.validFrom), ("in_force_to", DCI.validTo)):
                if meta.get(meta_key):
                    g.add((link, prop, Literal(meta[meta_key].isoformat(), datatype=XSD.date)))


def names_unit(text: str) -> bool:
    """An entry that begins with a noun phrase ("Le bureau …", "la division …"), not a verb ("Piloter …")."""
    return bool(_ARTICLE_WORDS.match(text.strip())) and bool(unit_name(text))


def unit_name(text: str) -> str:
    """ "la sous-direction des polices administratives ;" -> "sous-direction des polices administratives"."""
    body = _ARTICLE_WORDS.sub("", text.strip(), count=1)
    cut = _NAME_END.search(body)
    name = (body[: cut.start()] if cut else body).strip(" ;.,:")
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(name)))[:120]
