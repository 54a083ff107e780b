"""The lemmas read from the cached tries (vocab/lemmas.py) are simplemma's own, and the cache is written whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import simplemma
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from vocab import lemmas
from vocab.lexicon import fold, stem
from vocab.paths import ONTOLOGY_DIR


def _words() -> set[str]:
    g = Graph()
    for name in ("topics.ttl", "activities.ttl"):
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    words: set[str] = set()
    for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
        for label in g.objects(None, p):
            if isinstance(label, Literal):
                words.update(re.findall(r"\w+", str(label)))
    return words


def test_the_thesaurus_words_have_the_shipped_dictionaries_lemmas() -> None:
    words = sorted(_words())
    assert len(words) > 1000
    for lang in lemmas.LANGUAGES:
        differ = [w for w in words if lemmas.lemma(w, lang) != stem(fold(simplemma.lemmatize(w, lang=lang)))]
        assert not differ, (lang, differ[:10])
        unknown = [w for w in words if lemmas._known(w, lang) != simplemma.is_known(w, lang)]
        assert not unknown, (lang, unknown[:10])


def test_the_cache_is_written_whole_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = lemmas._AtomicTries(disk_cache_dir=str(tmp_path))
    built = first.get_dictionary("fr")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fr.dic"]  # no temporary file left beside it

    def no_build(self: object, lang: str) -> None:
        raise AssertionError("built again instead of read from the cache")

    monkeypatch.setattr(lemmas._AtomicTries, "_build_trie", no_build)
    again = lemmas._AtomicTries(disk_cache_dir=str(tmp_path)).get_dictionary("fr")
    assert again.get("policiers") == built.get("policiers") == "policier"


def test_an_unwritable_cache_still_lemmatises(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    tries = lemmas._AtomicTries(disk_cache_dir=str(blocked / "cache"))
    assert tries.get_dictionary("en").get("trained") == "train"
