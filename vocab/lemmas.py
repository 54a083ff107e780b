"""Lemmas of words (French and English), folded like labels.

simplemma keeps its dictionaries in the package and works offline. Decoding them into dictionaries costs about
a second and 50 MB a process, at every start: they are read as MARISA tries instead (simplemma's
TrieDictionaryFactory), built once per machine from the same shipped data and kept in the user's cache
directory, so a start loads 2.5 MB in milliseconds. Where the cache cannot be written the trie is built in
memory, as before. `warm_up` reads them up front, so no request pays for it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from marisa_trie import BytesTrie
from platformdirs import user_cache_dir
from simplemma import Lemmatizer
from simplemma.__metadata__ import __version__ as SIMPLEMMA_VERSION
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory
from simplemma.utils import normalize_token

from vocab.lexicon import fold, stem

LANGUAGES = ("fr", "en")
CACHE_DIR = Path(user_cache_dir("dci-kg")) / "simplemma" / SIMPLEMMA_VERSION


class _AtomicTries(TrieDictionaryFactory):
    """simplemma's trie factory, its cache file written whole or not at all: API processes started together
    build it at once, and none may load another's half-written file."""

    def _write_trie_to_disk(self, lang: str, trie: BytesTrie) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._cache_dir, prefix=f".{lang}.", suffix=".dic")
        os.close(fd)
        try:
            trie.save(tmp)
            os.replace(tmp, self._cache_dir / f"{lang}.dic")
        finally:
            Path(tmp).unlink(missing_ok=True)


_TRIES = _AtomicTries(disk_cache_dir=str(CACHE_DIR))
_LEMMATIZER = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_TRIES))
_LOOKUP = DictionaryLookupStrategy(_TRIES)


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The folded lemma of a word in a language (the folded word when the dictionary does not know it)."""
    if lang not in LANGUAGES or not any(c.isalpha() for c in word):
        return stem(fold(word))
    return stem(fold(_LEMMATIZER.lemmatize(word, lang=lang)))


@lru_cache(maxsize=200_000)
def keys(word: str, langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """Every form a word can be compared under: its folded form and its lemma in each language."""
    return frozenset({stem(fold(word)), *(lemma(word, lang) for lang in langs)})


@lru_cache(maxsize=50_000)
def is_known(word: str, langs: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether a dictionary of one of the languages knows the word (a word it knows is not misspelt)."""
    return any(_known(word, lang) or _known(word.lower(), lang) for lang in langs)


def _known(word: str, lang: str) -> bool:
    return _LOOKUP.get_lemma(normalize_token(word), lang) is not None


def warm_up(langs: Iterable[str] = LANGUAGES) -> None:
    """Read the dictionaries now (milliseconds from the cache, about a second to build it), not on the first
    question."""
    for lang in langs:
        if lang in LANGUAGES:
            _TRIES.get_dictionary(lang)
