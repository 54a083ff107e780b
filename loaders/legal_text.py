"""Legal-text loader: a text file with a YAML front matter and the articles as published -> RDF.

The parser is generic: it reads articles, paragraphs, lettered items `a)`, numbered items `1°` and
dash lists, and finds in each clause the holder (its subject), the role verbs, the beneficiaries, the
partners and the exclusion clause. Organisations, verbs, cues and topics are recognised through the
labels of the RDF vocabulary handed in (`Vocabulary`), never through names written here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from loaders.vocabulary import Vocabulary
from vocab import iris
from vocab.lexicon import Match, Token, tokenize
from vocab.namespaces import DCI, ELI

DCT = URIRef("http://purl.org/dc/terms/")
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")
DCT_TITLE = URIRef("http://purl.org/dc/terms/title")

_ARTICLE = re.compile(r"^Article\s+(\d+|premier|1er)\s*\.?$", re.IGNORECASE)
_LETTER = re.compile(r"^([a-z])\)\s+(.+)$")
_NUMBER = re.compile(r"^(\d+)°\s*(.+)$")
_DASH = re.compile(r"^[―\-–—]\s*(.+)$")
_REQUIRED = ("title", "date_document", "in_force_from", "source")
_DATES = ("date_document", "date_publication", "in_force_from", "in_force_to")
_PRONOUNS = {"elle", "il"}
_COOPERATION = "cooperation"


class LegalTextError(ValueError):
    """The text cannot be loaded; the message names the file and line."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.reason = source, line, message


@dataclass
class Block:
    kind: str  # paragraph | letter | number | dash | note
    text: str
    line: int
    label: str | None = None
    dashes: list[Block] = field(default_factory=list)


@dataclass
class Article:
    number: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class LegalDocument:
    meta: dict
    articles: list[Article]
    notes: list[Block]
    source_name: str

    @property
    def nor(self) -> str:
        return str(self.meta["nor"])


# ------------------------------------------------------------------------------------------------
# Structure
# ------------------------------------------------------------------------------------------------


def read_document(text: str, source_name: str = "<text>") -> LegalDocument:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise LegalTextError(source_name, 1, "missing YAML front matter (the file must start with '---')")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise LegalTextError(source_name, 1, "front matter is not closed by a '---' line") from None
    meta = _read_meta("\n".join(lines[1:end]), source_name)
    articles, notes = _read_body(lines, end + 1, source_name)
    if not articles:
        raise LegalTextError(source_name, end + 2, "no 'Article N' heading found")
    return LegalDocument(meta, articles, notes, source_name)


def _read_meta(raw: str, source_name: str) -> dict:
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise LegalTextError(source_name, line, f"front matter is not valid YAML: {exc}") from exc
    except ValueError as exc:  # YAML reads 2019-02-30 as a date and fails on it
        raise LegalTextError(source_name, 1, f"front matter holds a date that is not an ISO date: {exc}") from exc
    if not isinstance(meta, dict):
        raise LegalTextError(source_name, 2, "front matter must be a mapping of keys to values")
    for key in _REQUIRED:
        if key not in meta:
            raise LegalTextError(source_name, 1, f"front matter lacks the required key '{key}'")
    if not meta.get("nor"):
        raise LegalTextError(source_name, 1, "front matter lacks 'nor' (the text's identifier)")
    if not re.fullmatch(r"[A-Z0-9]{6,20}", str(meta["nor"])):
        raise LegalTextError(source_name, 1, f"'nor' is not a NOR identifier: {meta['nor']!r}")
    for key in _DATES:
        value = meta.get(key)
        if value is not None and not isinstance(value, dt.date):
            try:
                meta[key] = dt.date.fromisoformat(str(value))
            except ValueError:
                raise LegalTextError(source_name, 1, f"'{key}' is not an ISO date: {value!r}") from None
    start, stop = meta.get("in_force_from"), meta.get("in_force_to")
    if start and stop and stop < start:
        raise LegalTextError(source_name, 1, f"in_force_to {stop} is before in_force_from {start}")
    return meta


def _paragraphs(lines: list[str], first: int) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs, with their 1-based starting line."""
    out, buf, start = [], [], 0
    for i in range(first, len(lines)):
        raw = lines[i]
        if raw.strip():
            if not buf:
                start = i + 1
            buf.append(raw)
        elif buf:
            out.append((start, buf))
            buf = []
    if buf:
        out.append((start, buf))
    return [(n, " ".join(part.strip() for part in para)) for n, para in out]


def _is_note(raw: str) -> bool:
    # editorial notes are bracketed; some sources lost the opening bracket of a multi-line note
    s = raw.strip()
    return (s.startswith("[") and s.endswith("]")) or (s.endswith("]") and "[" not in s)


def _read_body(lines: list[str], first: int, source_name: str) -> tuple[list[Article], list[Block]]:
    articles: list[Article] = []
    notes: list[Block] = []
    seen: set[str] = set()
    for line_no, text in _paragraphs(lines, first):
        if _is_note(text):
            notes.append(Block("note", text.strip().strip("[]").strip(), line_no))
            continue
        head = _ARTICLE.match(text)
        if head:
            number = "1" if head.group(1).lower() in ("premier", "1er") else head.group(1)
            if number in seen:
                raise LegalTextError(source_name, line_no, f"article {number} appears twice")
            seen.add(number)
            articles.append(Article(number, line_no))
            continue
        if not articles:
            raise LegalTextError(source_name, line_no, "text before the first 'Article N' heading")
        articles[-1].blocks.append(_block(text, line_no))
    for art in articles:
        _check_sequences(art, source_name)
        _attach_dashes(art, source_name)
    return articles, notes


def _block(text: str, line_no: int) -> Block:
    if m := _LETTER.match(text):
        return Block("letter", m.group(2), line_no, m.group(1))
    if m := _NUMBER.match(text):
        return Block("number", m.group(2), line_no, m.group(1))
    if m := _DASH.match(text):
        return Block("dash", m.group(1), line_no)
    return Block("paragraph", text, line_no)


def _check_sequences(art: Article, source_name: str) -> None:
    letters = [b for b in art.blocks if b.kind == "letter"]
    for i, b in enumerate(letters):
        expected = chr(ord("a") + i)
        if b.label != expected:
            raise LegalTextError(
                source_name, b.line, f"article {art.number}: item {b.label}) where {expected}) was expected"
            )
    numbers = [b for b in art.blocks if b.kind == "number"]
    for i, b in enumerate(numbers, start=1):
        if b.label != str(i):
            raise LegalTextError(source_name, b.line, f"article {art.number}: item {b.label}° where {i}° was expected")
    if not art.blocks:
        raise LegalTextError(source_name, art.line, f"article {art.number} has no text")


def _attach_dashes(art: Article, source_name: str) -> None:
    """Dash entries belong to the paragraph or item that introduces them."""
    kept: list[Block] = []
    for b in art.blocks:
        if b.kind == "dash":
            if not kept:
                raise LegalTextError(source_name, b.line, f"article {art.number}: a dash entry with no introduction")
            kept[-1].dashes.append(b)
        else:
            kept.append(b)
    art.blocks = kept


# ------------------------------------------------------------------------------------------------
# Clause analysis
# ------------------------------------------------------------------------------------------------


@dataclass
class Clause:
    holder: URIRef | None = None
    roles: list[URIRef] = field(default_factory=list)
    beneficiaries: list[URIRef] = field(default_factory=list)
    partners: list[URIRef] = field(default_factory=list)
    reserved_to: list[URIRef] = field(default_factory=list)
    exclusion_text: str | None = None
    units: list[URIRef] = field(default_factory=list)
    mentions: list[URIRef] = field(default_factory=list)
    topics: list[URIRef] = field(default_factory=list)
    cooperation: list[URIRef] = field(default_factory=list)
    explicit_subject: bool = False


def analyse(text: str, vocab: Vocabulary, subject: URIRef | None) -> Clause:
    tokens = tokenize(text)
    orgs = vocab.orgs.find(text, tokens)
    cues = vocab.cues.find(text, tokens)
    inside_org = {i for m in orgs for i in range(m.first, m.last)}
    # a verb inside an organisation's name ("centre de veille") is not a role
    roles = [m for m in vocab.roles.find(text, tokens) if m.first not in inside_org]
    clause = Clause()
    structural = [
        c for c in cues if vocab.cue_info[_one(c)].kind == URIRef("http://www.w3.org/ns/org#hasSubOrganization")
    ]
    verb_at = min([m.first for m in roles] + [m.first for m in structural] + [len(tokens)])

    kinds = _scope_kinds(tokens, cues, orgs, vocab)
    first_org = next((m for m in orgs if m.first < verb_at and kinds[m.first] is None), None)
    pronoun_at = next((i for i, t in enumerate(tokens[:verb_at]) if t.norm in _PRONOUNS), None)
    has_verb = verb_at < len(tokens)
    if has_verb and first_org is not None and (pronoun_at is None or first_org.first < pronoun_at):
        clause.holder, clause.explicit_subject = _one(first_org), True
    elif pronoun_at is not None:
        clause.holder = subject

    for m in orgs:
        for o in sorted(m.payloads):
            _add(clause.mentions, o)
            if m is first_org and clause.explicit_subject:
                continue
            kind = kinds[m.first]
            if kind == DCI.partner:
                _add(clause.partners, o)
            elif kind == DCI.reservedTo:
                _add(clause.reserved_to, o)
            elif kind is not None and kind.endswith("hasSubOrganization"):
                _add(clause.units, o)
            elif o != clause.holder:
                _add(clause.beneficiaries, o)

    clause.roles = _roles(roles, vocab, has_partner=bool(clause.partners))
    # words inside an organisation's name are already a beneficiary or partner, not a topic
    clause.topics = [
        t for m in vocab.topics.find(text, tokens) if m.first not in inside_org for t in sorted(m.payloads)
    ]
    clause.cooperation = _cooperation_types(tokens, vocab)
    exclusion = next((c for c in cues if vocab.cue_info[_one(c)].kind == DCI.reservedTo), None)
    if exclusion is not None:
        tail = text[exclusion.start :]
        clause.exclusion_text = re.split(r"[;.]", tail, maxsplit=1)[0].strip(" ,")
    return clause


def _scope_kinds(
    tokens: list[Token], cues: list[Match], orgs: list[Match], vocab: Vocabulary
) -> dict[int, URIRef | None]:
    """For each organisation mention (by first token), the kind of the cue whose scope covers it."""
    cue_at = {c.first: c for c in cues}
    starts = {m.first for m in orgs}
    kinds: dict[int, URIRef | None] = {}
    active: tuple[URIRef, str] | None = None
    i = 0
    while i < len(tokens):
        if i in cue_at:
            info = vocab.cue_info[_one(cue_at[i])]
            active = (info.kind, info.ends_at)
            i = cue_at[i].last
            continue
        tok = tokens[i].norm
        if active and tok in active[1]:
            active = None
        if i in starts:
            kinds[i] = active[0] if active else None
        i += 1
    return kinds


def _roles(matches: list[Match], vocab: Vocabulary, *, has_partner: bool) -> list[URIRef]:
    """Role concepts in text order; a partner-only role wins over its plain form when partners exist."""
    out: list[URIRef] = []
    for m in matches:
        candidates = [vocab.role_info[r] for r in m.payloads]
        fitting = [c for c in candidates if c.with_partner_only == has_partner] or [
            c for c in candidates if not c.with_partner_only
        ]
        for c in fitting or candidates:
            _add(out, c.iri)
    return out


def _cooperation_types(tokens: list[Token], vocab: Vocabulary) -> list[URIRef]:
    """Adjectives after "coopération(s)": "les coopérations technique, opérationnelle et institutionnelle"."""
    out: list[URIRef] = []
    for i, tok in enumerate(tokens):
        if tok.norm != _COOPERATION:
            continue
        j = i + 1
        while j < len(tokens):
            if tokens[j].norm in {",", "et"}:
                j += 1
                continue
            found = vocab.cooperation.find("", tokens[j : j + 6])
            if not found or found[0].first != 0:
                break
            for c in sorted(found[0].payloads):
                _add(out, c)
            j += found[0].last
    return out


def _one(m: Match) -> URIRef:
    return sorted(m.payloads)[0]


def _add(seq: list, value) -> None:
    if value not in seq:
        seq.append(value)


# ------------------------------------------------------------------------------------------------
# RDF
# ------------------------------------------------------------------------------------------------


def to_graph(doc: LegalDocument, vocab: Vocabulary) -> Graph:
    """The RDF of one legal text: the text, its subdivisions and its mandates."""
    g = Graph()
    nor, meta = doc.nor, doc.meta
    text_iri = iris.legal_text(nor)
    title = str(meta["title"])
    g.add((text_iri, RDF.type, DCI.LegalText))
    for p in (ELI.title, DCT_TITLE, RDFS.label, SKOS.prefLabel):
        g.add((text_iri, p, Literal(title, lang="fr")))
    g.add((text_iri, DCI.nor, Literal(nor)))
    g.add((text_iri, DCI.key, Literal(nor)))
    g.add((text_iri, DCT_SOURCE, Literal(str(meta["source"]))))
    if meta.get("eli"):
        g.add((text_iri, DCI.eliUri, Literal(str(meta["eli"]), datatype=XSD.anyURI)))
    for key, prop in (
        ("date_document", ELI.date_document),
        ("date_publication", ELI.date_publication),
        ("in_force_from", ELI.first_date_entry_in_force),
        ("in_force_to", ELI.date_no_longer_in_force),
    ):
        if meta.get(key):
            g.add((text_iri, prop, Literal(meta[key].isoformat(), datatype=XSD.date)))
    if meta.get("note"):
        g.add((text_iri, SKOS.editorialNote, Literal(str(meta["note"]), lang="en")))
    for note in doc.notes:
        g.add((text_iri, SKOS.editorialNote, Literal(f"line {note.line}: {note.text}", lang="en")))
    if meta.get("replaces"):
        old = iris.legal_text(str(meta["replaces"]))
        g.add((text_iri, DCI.replaces, old))
        if meta.get("in_force_from"):
            last_day = meta["in_force_from"] - dt.timedelta(days=1)
            g.add((old, ELI.date_no_longer_in_force, Literal(last_day.isoformat(), datatype=XSD.date)))

    for position, art in enumerate(doc.articles, start=1):
        _article_to_graph(g, doc, art, position, vocab)
    return g


def _article_to_graph(g: Graph, doc: LegalDocument, art: Article, position: int, vocab: Vocabulary) -> None:
    nor, text_iri = doc.nor, iris.legal_text(doc.nor)
    art_iri = iris.article(nor, art.number)
    g.add((art_iri, RDF.type, DCI.Article))
    g.add((art_iri, ELI.is_part_of, text_iri))
    g.add((art_iri, ELI.number, Literal(art.number)))
    g.add((art_iri, DCI.position, Literal(position)))
    _labels(g, art_iri, f"{nor}, article {art.number}", f"{nor}, article {art.number}")
    full: list[str] = []
    subject: URIRef | None = None
    intro: Clause | None = None  # the paragraph that introduces a list of items
    para_index = 0
    for pos, block in enumerate(art.blocks, start=1):
        if block.kind == "paragraph":
            para_index += 1
            iri = iris.paragraph(nor, art.number, para_index)
            _subdivision(g, iri, DCI.Paragraph, art_iri, pos, block, str(para_index))
            _labels(
                g,
                iri,
                f"{nor}, art. {art.number}, alinéa {para_index}",
                f"{nor}, art. {art.number}, paragraph {para_index}",
            )
        else:
            iri = iris.item(nor, art.number, block.label)
            _subdivision(g, iri, DCI.Item, art_iri, pos, block, block.label)
            mark = f"{block.label})" if block.kind == "letter" else f"{block.label}°"
            if block.kind == "letter":
                g.add((iri, DCI.letter, Literal(block.label)))
            _labels(g, iri, f"{nor}, art. {art.number}, {mark}", f"{nor}, art. {art.number}, {mark}")
        text = " ".join([block.text] + [d.text for d in block.dashes])
        full.append(text)
        for j, d in enumerate(block.dashes, start=1):
            _subdivision(g, iris.dash(iri, j), DCI.Item, iri, j, d, str(j))
            _labels(
                g, iris.dash(iri, j), f"{g.value(iri, RDFS.label)}, tiret {j}", f"{g.value(iri, RDFS.label)}, dash {j}"
            )

        clause = analyse(text, vocab, subject)
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
        if clause.units and not all(d for d in block.dashes):
            raise LegalTextError(doc.source_name, block.line, "a composition list with an empty entry")
        if clause.holder is not None and clause.roles:
            _mandate(g, iri, clause, text_iri, vocab)
        for o in clause.mentions:
            g.add((iri, DCI.mentions, o))
    g.add((art_iri, DCI.text, Literal("\n\n".join(full), lang="fr")))


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
