"""Term matching on lemmas: a label is a term, its inflections and paraphrases need no label of their own.

A label's content words (the words that are not function words) match the content words of a text when each
has a lemma in common with one of them, in any order, within a window of the label's length plus `slack` (2)
content words, and within one clause (punctuation closes a window). Function words (determiners, possessives,
"de" / "of"...) are data the caller reads from RDF; this module knows none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from vocab.lemmas import LANGUAGES, is_known, keys, lemma
from vocab.lexicon import Match, Token, fold, stem, tokenize

_PUNCT = set(";,.:")
# shorter label words are too close to one another to be corrected by one letter; a text's word may be one letter
# shorter, as a label word with a letter missing ("acord"; its own deletions are too short to meet any)
MIN_SPELT = 6
Content = list[tuple[int, frozenset[str], int]]  # a text's content words: (token index, keys, clause)


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    return stem(fold(word))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class _Entry:
    words: list[frozenset[str]]  # each content word's keys
    label: str
    payloads: set[Hashable] = field(default_factory=set)


@dataclass
class TermIndex:
    function_words: frozenset[str] = frozenset()
    slack: int = 2
    _entries: dict[tuple[str, ...], _Entry] = field(default_factory=dict)
    _by_key: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    _spelling: dict[str, set[str]] | None = None  # a label word's key and its one-letter deletions -> the key
    _meaning: dict[str, frozenset] | None = None  # a label word's key -> the payloads of the labels it is a word of

    def __post_init__(self) -> None:
        self.function_words = frozenset(stem(fold(w)) for w in self.function_words)

    def is_function_word(self, word: str) -> bool:
        """A function word, unless written as an acronym ("UN" is the United Nations, "un" a determiner)."""
        return _folded(word) in self.function_words and not (len(word) > 1 and word.isupper())

    def content(self, label: str) -> list[str]:
        """The content words of a label, as written."""
        words = [label[t.start : t.end] for t in tokenize(label) if t.norm not in _PUNCT]
        return [w for w in words if not self.is_function_word(w)]

    def canonical(self, label: str, lang: str | None = None) -> tuple[str, ...]:
        """A label's content lemmas, sorted: two labels with the same canonical form are one term."""
        langs = (lang,) if lang in LANGUAGES else LANGUAGES[:1]
        return tuple(sorted(lemma(w, langs[0]) for w in self.content(label)))

    def add(self, label: str, payload: Hashable, lang: str | None = None) -> None:
        words = self.content(label)
        if not words:
            return
        key = self.canonical(label, lang)
        entry = self._entries.get(key)
        if entry is None:
            langs = (lang,) if lang in LANGUAGES else LANGUAGES
            wkeys = [frozenset({stem(fold(w)), *(lemma(w, x) for x in langs)}) for w in words]
            entry = self._entries[key] = _Entry(wkeys, label)
            for k in wkeys[0]:
                self._by_key[k].add(key)
        entry.payloads.add(payload)

    def add_all(self, triples: Iterable[tuple[str, Hashable, str | None]]) -> TermIndex:
        for label, payload, lang in triples:
            self.add(label, payload, lang)
        return self

    def __len__(self) -> int:
        return len(self._entries)

    def words(self, text: str, tokens: list[Token]) -> Content:
        """A text's content words with their keys and clause: what `find` compares labels with. Indexes that
        share their function words can share it (one question, several facets). A word misspelt by one letter
        (known to no dictionary, of no label, one edit from one label word: "formaton") has that word's key too."""
        content: Content = []
        clause = 0
        for i, t in enumerate(tokens):
            if t.norm in _PUNCT:
                clause += 1
            elif not self.is_function_word(word := text[t.start : t.end] if text else t.norm):
                content.append((i, self._spelt(word, keys(word)), clause))
        return content

    def learn_spelling(self, *others: TermIndex) -> None:
        """Correct misspellings towards the words of this index's labels and of `others` (facets that share
        this index's content words)."""
        table: dict[str, set[str]] = defaultdict(set)
        meaning: dict[str, set] = defaultdict(set)
        for n, index in enumerate((self, *others)):
            for entry in index._entries.values():
                for k in (k for ks in entry.words for k in ks if len(k) >= MIN_SPELT):
                    table[k].add(k)
                    meaning[k] |= {(n, p) for p in entry.payloads}
                    for d in _deletions(k):
                        table[d].add(k)
        self._spelling = dict(table)
        self._meaning = {k: frozenset(v) for k, v in meaning.items()}

    def _spelt(self, word: str, ks: frozenset[str]) -> frozenset[str]:
        table = self._spelling
        if not table or len(word) < MIN_SPELT - 1 or any(k in table and k in table[k] for k in ks):
            return ks
        folded = _folded(word)
        found = set(table.get(folded, ()))
        for d in _deletions(folded):
            found |= table.get(d, set())
        if not found or is_known(word) or (len(found) > 1 and not self._one_meaning(found)):
            return ks
        return ks | found

    def _one_meaning(self, found: set[str]) -> bool:
        """Whether the label words a misspelling is one edit from are words of the same concepts only (the
        accentless "informee" is one edit from "informé", "informer" and "informed", all of being informed):
        the correction is then no guess between meanings."""
        meanings = {self._meaning.get(k, frozenset()) for k in found} if self._meaning else set()
        return len(meanings) == 1 and bool(next(iter(meanings)))


    def find(self, text: str, tokens: list[Token] | None = None, content: Content | None = None) -> list[Match]:
        """The terms of a text: the longest first, then the tightest (a spread term yields to a tight one that
        shares a word with it, `_yields`); no content word serves twice."""
        tokens = tokens if tokens is not None else tokenize(text)
        content = content if content is not None else self.words(text, tokens)
        candidates = []
        present = {k for _, ks, _ in content for k in ks}  # an entry with a word absent from the text cannot fit
        for c, (_, ks, _) in enumerate(content):
            seen: set[tuple[str, ...]] = set()
            for k in ks:
                for key in self._by_key.get(k, ()):
                    if key not in seen:
                        seen.add(key)
                        entry = self._entries[key]
                        if any(present.isdisjoint(w) for w in entry.words[1:]):
                            continue
                        placed = self._place(entry, content, c)
                        if placed is not None:
                            candidates.append((-len(placed), max(placed) - min(placed), min(placed), key, placed))
        candidates.sort()
        used: set[int] = set()
        out = []
        for _, _, _, key, placed in candidates:
            if used.isdisjoint(placed) and not self._yields(placed, candidates, used):
                used.update(placed)
                first, last = tokens[content[min(placed)][0]], tokens[content[max(placed)][0]]
                e = self._entries[key]
                out.append(
                    Match(
                        frozenset(e.payloads),
                        e.label,
                        content[min(placed)][0],
                        content[max(placed)][0] + 1,
                        first.start,
                        last.end,
                    )
                )
        return sorted(out, key=lambda m: m.first)

    @staticmethod
    def _yields(placed: list[int], candidates: list, used: set[int]) -> bool:
        """A term spread over other words yields a word to a term at least as strong, counting each other word
        inside a window against its length, that brings a word of its own ("technical arrangement" keeps
        "technical" from "road safety technical cooperation" spread over "arrangement with Morocco on"); a term
        whose words all lie inside the spread one is less specific and does not take it."""
        gaps = max(placed) - min(placed) + 1 - len(placed)
        if not gaps:
            return False
        mine = set(placed)
        strength = len(placed) - gaps
        for _, spread, _, _, other in candidates:
            theirs = set(other)
            if (
                theirs & mine
                and not theirs <= mine
                and used.isdisjoint(theirs)
                and len(other) - (spread + 1 - len(other)) >= strength
            ):
                return True
        return False

    def _place(self, e: _Entry, content: Content, c: int) -> list[int] | None:
        """Positions (in `content`) of the entry's words, its first word at `c`; None if they do not fit."""
        n = len(e.words)
        width = n + self.slack
        placed = [c]
        for w in e.words[1:]:
            best = None
            for d in range(1, width):
                for p in (c + d, c - d):
                    if (
                        0 <= p < len(content)
                        and p not in placed
                        and content[p][2] == content[c][2]
                        and w & content[p][1]
                    ):
                        best = p
                        break
                if best is not None:
                    break
            if best is None:
                return None
            placed.append(best)
        return placed if max(placed) - min(placed) < width else None
