"""Legal-text loader: a text file with a YAML front matter and the articles as published -> RDF.

The parser is generic: `legal_front` reads the front matter, `legal_structure` the articles, paragraphs,
sections, lettered and numbered items and dash lists, `legal_clauses` finds in each clause the holder, the
role verbs, the beneficiaries, the partners and the exclusion clause, `legal_units` the units an
organisation text creates. Organisations, verbs, cues and topics are recognised through the labels of the
RDF vocabulary handed in (`Vocabulary`), never through names written here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from loaders.legal_clauses import Clause, analyse, composition_cue
from loaders.legal_front import LegalTextError
from loaders.legal_structure import Article, Block, LegalDocument, read_document
from loaders.legal_units import Units
from loaders.vocabulary import Vocabulary
from vocab import iris
from vocab.namespaces import DCI, ELI

__all__ = ["LegalDocument", "LegalTextError", "load_file", "read_document", "to_graph"]

DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")
DCT_TITLE = URIRef("http://purl.org/dc/terms/title")


def to_graph(doc: LegalDocument, vocab: Vocabulary) -> Graph:
    """The RDF of one legal text: the text, its subdivisions, the units it creates and its mandates."""
    g = Graph()
    key, meta = doc.key, doc.meta
    text_iri = iris.legal_text(key)
    title = str(meta["title"])
    g.add((text_iri, RDF.type, DCI.LegalText))
    for p in (ELI.title, DCT_TITLE, RDFS.label, SKOS.prefLabel):
        g.add((text_iri, p, Literal(title, lang="fr")))
    if doc.nor:
        g.add((text_iri, DCI.nor, Literal(doc.nor)))
    g.add((text_iri, DCI.key, Literal(key)))
    g.add((text_iri, DCT_SOURCE, Literal(str(meta["source"]))))
    if meta.get("eli"):
        g.add((text_iri, DCI.eliUri, Literal(str(meta["eli"]), datatype=XSD.anyURI)))
    for name, prop in (
        ("date_document", ELI.date_document),
        ("date_publication", ELI.date_publication),
        ("in_force_from", ELI.first_date_entry_in_force),
        ("in_force_to", ELI.date_no_longer_in_force),
    ):
        if meta.get(name):
            g.add((text_iri, prop, Literal(meta[name].isoformat(), datatype=XSD.date)))
    if meta.get("note"):
        g.add((text_iri, SKOS.editorialNote, Literal(str(meta["note"]), lang="en")))
    if doc.partial:
        g.add((text_iri, DCI.partial, Literal(True)))
        g.add((text_iri, SKOS.editorialNote, Literal("only part of the text is reproduced (partial)", lang="en")))
    for note in doc.notes:
        g.add((text_iri, SKOS.editorialNote, Literal(f"line {note.line}: {note.text}", lang="en")))
    if meta.get("replaces"):
        old = iris.legal_text(str(meta["replaces"]))
        g.add((text_iri, DCI.replaces, old))
        if meta.get("in_force_from"):
            last_day = meta["in_force_from"] - dt.timedelta(days=1)
            g.add((old, ELI.date_no_longer_in_force, Literal(last_day.isoformat(), datatype=XSD.date)))

    units = Units.for_document(vocab, text_iri, title)
    for position, art in enumerate(doc.articles, start=1):
        _article_to_graph(g, doc, art, position, units)
    units.to_graph(g, meta, key)
    return g


def _article_to_graph(g: Graph, doc: LegalDocument, art: Article, position: int, units: Units) -> None:
    key, text_iri, vocab = doc.key, iris.legal_text(doc.key), units.vocab
    art_iri = iris.article(key, art.number)
    g.add((art_iri, RDF.type, DCI.Article))
    g.add((art_iri, ELI.is_part_of, text_iri))
    g.add((art_iri, ELI.number, Literal(art.number)))
    g.add((art_iri, DCI.position, Literal(position)))
    name = doc.nor or str(doc.meta["title"])
    _labels(g, art_iri, f"{name}, article {art.number}", f"{name}, article {art.number}")
    full: list[str] = []
    subject: URIRef | None = None
    intro: Clause | None = None  # the paragraph that introduces a list of items
    parent: URIRef | None = None  # the organisation a composition paragraph introduces
    para_index = 0
    for pos, block in enumerate(art.blocks, start=1):
        if block.kind == "paragraph":
            para_index += 1
            iri = iris.paragraph(key, art.number, para_index)
            _subdivision(g, iri, DCI.Paragraph, art_iri, pos, block, str(para_index))
            _labels(g, iri, f"{name}, art. {art.number}, alinéa {para_index}",
                    f"{name}, art. {art.number}, paragraph {para_index}")
            if block.section:
                g.add((iri, DCI.section, Literal(block.section)))
            mark = f"alinéa {para_index}"
        else:
            iri = iris.item(key, art.number, block.label)
            _subdivision(g, iri, DCI.Item, art_iri, pos, block, block.label)
            mark = f"{block.label})" if block.kind == "letter" else f"{block.label}°"
            if block.kind == "letter":
                g.add((iri, DCI.letter, Literal(block.label)))
            _labels(g, iri, f"{name}, art. {art.number}, {mark}", f"{name}, art. {art.number}, {mark}")
        text = " ".join([block.text] + [d.text for d in block.dashes])
        full.append(text)
        for j, d in enumerate(block.dashes, start=1):
            _subdivision(g, iris.dash(iri, j), DCI.Item, iri, j, d, str(j))
            lab = g.value(iri, RDFS.label)
            _labels(g, iris.dash(iri, j), f"{lab}, tiret {j}", f"{lab}, dash {j}")

        # a unit list: "X comprend :", or the numbered items such a paragraph introduces
        cue = composition_cue(block.text, vocab)
        in_list = block.kind != "paragraph" and parent is not None and cue is None
        if cue is not None or in_list:
            owner = parent if in_list else _composer(block.text[: cue.start], vocab, units, subject)
            if in_list:
                owner = units.entry(block.text, parent) if not _has_role(block.text, vocab) else None
            if owner is not None:
                if not in_list:
                    subject = owner
                for d in block.dashes:
                    if not d.text.strip(" ;.,"):
                        raise LegalTextError(doc.source_name, d.line, "a composition list with an empty entry")
                    unit = units.entry(d.text, owner)
                    if unit is not None:
                        g.add((iris.dash(iri, block.dashes.index(d) + 1), DCI.mentions, unit))
                if block.kind == "paragraph":
                    parent = owner if block.text.rstrip().endswith(":") else None
                    intro = None
                g.add((iri, DCI.mentions, owner))
                continue
        if block.kind == "paragraph":
            parent = None

        verb_dashes = [d for d in block.dashes if _has_role(d.text, vocab)]
        clause = analyse(block.text if verb_dashes else text, vocab, subject)
        if clause.explicit_subject:
            subject = clause.holder
        if block.kind == "paragraph":
            intro = clause if block.text.rstrip().endswith(":") else None
        elif not clause.roles and intro is not None and intro.roles:
            clause.roles, clause.holder = list(intro.roles), clause.holder or intro.holder
        elif block.kind in ("letter", "number") and not clause.roles:
            raise LegalTextError(
                doc.source_name, block.line, f"article {art.number}, item {mark}: no role verb recognised"
            )
        if block.kind in ("letter", "number") and clause.holder is None:
            clause.holder = intro.holder if intro is not None else subject
            if clause.holder is None:
                raise LegalTextError(
                    doc.source_name, block.line, f"article {art.number}, item {mark}: no holder (subject) recognised"
                )
        if clause.holder is not None and clause.roles:
            _mandate(g, iri, clause, text_iri, vocab)
        for o in clause.mentions:
            g.add((iri, DCI.mentions, o))
        for j, d in enumerate(block.dashes, start=1):  # "… : ― prépare … ; ― élabore, en liaison avec …"
            if d in verb_dashes and (clause.holder or subject) is not None:
                sub = analyse(d.text, vocab, clause.holder or subject)
                sub.holder = sub.holder if sub.explicit_subject else clause.holder or subject
                _mandate(g, iris.dash(iri, j), sub, text_iri, vocab)
                for o in sub.mentions:
                    g.add((iris.dash(iri, j), DCI.mentions, o))
    g.add((art_iri, DCI.text, Literal("\n\n".join(full), lang="fr")))


def _composer(head: str, vocab: Vocabulary, units: Units, subject: URIRef | None) -> URIRef | None:
    """The organisation a composition sentence is about: named (known or created), or the pronoun's subject."""
    clause = analyse(head + " comprend", vocab, subject)
    if clause.explicit_subject:
        return clause.holder
    if clause.holder is not None:
        return clause.holder
    return units.subject(head)


def _has_role(text: str, vocab: Vocabulary) -> bool:
    return bool(analyse(text, vocab, None).roles)


def _subdivision(g: Graph, iri: URIRef, cls: URIRef, parent: URIRef, pos: int, block: Block, number: str) -> None:
    g.add((iri, RDF.type, cls))
    g.add((iri, ELI.is_part_of, parent))
    g.add((iri, ELI.number, Literal(number)))
    g.add((iri, DCI.position, Literal(pos)))
    g.add((iri, DCI.text, Literal(block.text, lang="fr")))


def _labels(g: Graph, iri: URIRef, fr: str, en: str) -> None:
    g.add((iri, RDFS.label, Literal(fr, lang="fr")))
    g.add((iri, RDFS.label, Literal(en, lang="en")))


def _mandate(g: Graph, iri: URIRef, clause: Clause, text_iri: URIRef, vocab: Vocabulary) -> None:
    if not clause.roles or clause.holder is None:
        return
    g.add((iri, RDF.type, DCI.Mandate))
    g.add((iri, DCI.holder, clause.holder))
    g.add((iri, DCI.legalBasis, text_iri))
    for r in clause.roles:
        g.add((iri, DCI.role, r))
    g.add((iri, DCI.primaryRole, clause.roles[0]))
    for o in clause.beneficiaries:
        g.add((iri, DCI.beneficiary, o))
    for o in clause.partners:
        g.add((iri, DCI.partner, o))
    if clause.non_exhaustive:
        g.add((iri, DCI.nonExhaustive, Literal(True)))
    excluded = {t for body in clause.reserved_to for t in vocab.topics_reserved_to(body)}
    for t in clause.topics:
        if t not in excluded:  # words of the exclusion clause are not a positive topic
            g.add((iri, DCI.topic, t))
    for c in clause.cooperation:
        g.add((iri, DCI.cooperationType, c))
    if clause.reserved_to:
        ex = iris.exclusion(iri)
        g.add((iri, DCI.hasExclusion, ex))
        g.add((ex, RDF.type, DCI.Exclusion))
        g.add((ex, DCI.text, Literal(clause.exclusion_text or "", lang="fr")))
        _labels(g, ex, f"exclusion : {clause.exclusion_text}", f"exclusion: {clause.exclusion_text}")
        for body in clause.reserved_to:
            g.add((ex, DCI.reservedTo, body))
            for t in sorted(vocab.topics_reserved_to(body)):
                g.add((ex, DCI.excludedTopic, t))


def load_file(path: Path, vocab: Vocabulary) -> tuple[LegalDocument, Graph]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LegalTextError(str(path), 0, f"cannot read the file: {exc}") from exc
    doc = read_document(text, str(path))
    return doc, to_graph(doc, vocab)
