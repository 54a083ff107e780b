"""The structure of a legal text: front matter, articles, paragraphs, sections `I. ―`, lettered items `a)`,
numbered items `1°` and dash lists (`―`, `-`, `–`, `—`), with the checks that name the line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.legal_front import LegalTextError, read_meta

_ARTICLE = re.compile(r"^Article\s+(\d+|premier|1er|\?)\s*\.?$", re.IGNORECASE)
UNNUMBERED = "unnumbered-"  # "Article ?": in a partial text, an article whose number was not retrieved
_LETTER = re.compile(r"^([a-z])\)\s+(.+)$")
_NUMBER = re.compile(r"^(\d+)°\s*(.+)$")
_DASH = re.compile(r"^[―\-–—]\s*(.+)$")
_SECTION = re.compile(r"^([IVXL]+)\.\s*[―\-–—]\s*(.+)$")


@dataclass
class Block:
    kind: str  # paragraph | letter | number | dash | note
    text: str
    line: int
    label: str | None = None
    dashes: list[Block] = field(default_factory=list)
    section: str | None = None  # the roman number of the section `I. ―` the block opens


@dataclass
class Article:
    number: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    partial: bool = False  # only part of it is reproduced (a note says so, or the front matter)

    @property
    def numbered(self) -> bool:
        return not self.number.startswith(UNNUMBERED)


@dataclass
class LegalDocument:
    meta: dict
    articles: list[Article]
    notes: list[Block]
    source_name: str

    @property
    def key(self) -> str:
        """The NOR, or `kind/year/month/day` for a text without one."""
        return str(self.meta["key"])

    @property
    def nor(self) -> str | None:
        return str(self.meta["nor"]) if self.meta.get("nor") else None

    @property
    def partial(self) -> bool:
        return bool(self.meta.get("partial"))


def read_document(text: str, source_name: str = "<text>") -> LegalDocument:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise LegalTextError(source_name, 1, "missing YAML front matter (the file must start with '---')")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise LegalTextError(source_name, 1, "front matter is not closed by a '---' line") from None
    meta = read_meta("\n".join(lines[1:end]), source_name)
    articles, notes = _read_body(lines, end + 1, source_name, bool(meta.get("partial")))
    if not articles:
        raise LegalTextError(source_name, end + 2, "no 'Article N' heading found")
    return LegalDocument(meta, articles, notes, source_name)


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


def _read_body(
    lines: list[str], first: int, source_name: str, partial: bool
) -> tuple[list[Article], list[Block]]:
    articles: list[Article] = []
    notes: list[Block] = []
    seen: set[str] = set()
    for line_no, text in _paragraphs(lines, first):
        if _is_note(text):
            notes.append(Block("note", text.strip().strip("[]").strip(), line_no))
            if articles:  # a note inside an article says that article is not reproduced in full
                articles[-1].partial = True
            continue
        head = _ARTICLE.match(text)
        if head:
            number = "1" if head.group(1).lower() in ("premier", "1er") else head.group(1)
            if number == "?":
                if not partial:
                    message = "'Article ?' (number not retrieved) needs 'partial: true'"
                    raise LegalTextError(source_name, line_no, message)
                number = f"{UNNUMBERED}{sum(a.number.startswith(UNNUMBERED) for a in articles) + 1}"
            if number in seen:
                raise LegalTextError(source_name, line_no, f"article {number} appears twice")
            seen.add(number)
            articles.append(Article(number, line_no, partial=partial))
            continue
        if not articles:
            raise LegalTextError(source_name, line_no, "text before the first 'Article N' heading")
        articles[-1].blocks.append(block(text, line_no))
    for art in articles:
        _check_sequences(art, source_name)
        _attach_dashes(art, source_name)
    return articles, notes


def block(text: str, line_no: int) -> Block:
    if m := _LETTER.match(text):
        return Block("letter", m.group(2), line_no, m.group(1))
    if m := _NUMBER.match(text):
        return Block("number", m.group(2), line_no, m.group(1))
    if m := _DASH.match(text):
        return Block("dash", m.group(1), line_no)
    if m := _SECTION.match(text):
        return Block("paragraph", m.group(2), line_no, section=m.group(1))
    return Block("paragraph", text, line_no)


def _check_sequences(art: Article, source_name: str) -> None:
    """Items follow each other (a), b), … and 1°, 2°, …); a partial article may skip some, never go back."""
    if not art.blocks and not art.partial:
        raise LegalTextError(source_name, art.line, f"article {art.number} has no text")
    for kind, first, step, mark in (("letter", "a", _next_letter, ")"), ("number", "1", _next_number, "°")):
        expected = first
        for b in (b for b in art.blocks if b.kind == kind):
            label = str(b.label)
            if label != expected and not (art.partial and _order(label) > _order(expected)):
                raise LegalTextError(
                    source_name, b.line, f"article {art.number}: item {label}{mark} where {expected}{mark} was expected"
                )
            expected = step(label)


def _next_letter(label: str) -> str:
    return chr(ord(label) + 1)


def _next_number(label: str) -> str:
    return str(int(label) + 1)


def _order(label: str) -> int:
    return int(label) if label.isdigit() else ord(label)


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
