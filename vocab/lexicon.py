"""Label matching: folds text and finds the longest known labels in it.

The labels come from the RDF data (organisations, topics, roles, cues); this module only knows how to
compare words: case, accents, apostrophes, ligatures and a final plural s/x do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\w+|[;,.:]")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "ʼ": "'"})


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # nothing to fold but the case (ligatures and accents are not ASCII)
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """A final plural s/x off (not in -ss)."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Token:
    norm: str
    start: int  # character offsets in the original text
    end: int


def tokenize(text: str) -> list[Token]:
    folded = fold(text)
    # NFKD can change the length of a string; fold character by character keeps offsets aligned.
    if len(folded) != len(text):
        folded = "".join(fold(c)[:1] or " " for c in text)
    return [Token(stem(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


@dataclass(frozen=True)
class Match:
    payloads: frozenset[Hashable]
    label: str
    first: int  # token indices, end exclusive
    last: int
    start: int  # character offsets
    end: int


@dataclass
class Lexicon:
    """Maps folded label token sequences to payloads (IRIs or other keys)."""

    _entries: dict[tuple[str, ...], set[Hashable]] = field(default_factory=lambda: defaultdict(set))
    _by_first: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _labels: dict[tuple[str, ...], str] = field(default_factory=dict)

    def add(self, label: str, payload: Hashable) -> None:
        key = tuple(t.norm for t in tokenize(label))
        if not key:
            return
        self._entries[key].add(payload)
        self._by_first[key[0]].add(len(key))
        self._labels.setdefault(key, label)

    def discard(self, label: str, payload: Hashable) -> None:
        """Forget that `label` names `payload` (the label stays for its other payloads)."""
        key = tuple(t.norm for t in tokenize(label))
        entry = self._entries.get(key)
        if entry is None:
            return
        entry.discard(payload)
        if not entry:
            del self._entries[key]

    def add_all(self, pairs: Iterable[tuple[str, Hashable]]) -> Lexicon:
        for label, payload in pairs:
            self.add(label, payload)
        return self

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Longest, left-to-right, non-overlapping matches."""
        tokens = tokens if tokens is not None else tokenize(text)
        norms = [t.norm for t in tokens]
        out: list[Match] = []
        i = 0
        while i < len(tokens):
            best = None
            for n in sorted(self._by_first.get(norms[i], ()), reverse=True):
                key = tuple(norms[i : i + n])
                if len(key) == n and key in self._entries:
                    best = (n, key)
                    break
            if best is None:
                i += 1
                continue
            n, key = best
            out.append(
                Match(
                    frozenset(self._entries[key]), self._labels[key], i, i + n, tokens[i].start, tokens[i + n - 1].end
                )
            )
            i += n
        return out
