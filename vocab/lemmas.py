"""Lemmas of words (French and English), folded like labels.

simplemma keeps its dictionaries in the package and works offline; a language's dictionary is read on its
first use and kept for the life of the process (`warm_up` reads them up front, so no request pays for it).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import simplemma

from vocab.lexicon import fold, stem

LANGUAGES = ("fr", "en")


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The folded lemma of a word in a language (the folded word when the dictionary does not know it)."""
    if lang not in LANGUAGES or not any(c.isalpha() for c in word):
        return stem(fold(word))
    return stem(fold(simplemma.lemmatize(word, lang=lang)))


@lru_cache(maxsize=200_000)
def keys(word: str, langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """Every form a word can be compared under: its folded form and its lemma in each language."""
    return frozenset({stem(fold(word)), *(lemma(word, lang) for lang in langs)})


@lru_cache(maxsize=50_000)
def is_known(word: str, langs: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether a dictionary of one of the languages knows the word (a word it knows is not misspelt)."""
    return any(simplemma.is_known(word, lang) or simplemma.is_known(word.lower(), lang) for lang in langs)


def warm_up(langs: Iterable[str] = LANGUAGES) -> None:
    """Read the dictionaries now (about a second), not on the first question."""
    for lang in langs:
        if lang in LANGUAGES:
            simplemma.lemmatize("test", lang=lang)
