"""Term matching on lemmas (vocab/termindex.py): order, determiners and inflection do not matter; a clause
boundary and a distant word do; an acronym is never taken for a function word."""

from __future__ import annotations

from vocab.termindex import TermIndex

FUNCTION_WORDS = frozenset({"le", "la", "les", "l", "des", "de", "d", "ces", "un", "the", "of", "this", "such", "et"})


def index() -> TermIndex:
    t = TermIndex(FUNCTION_WORDS)
    t.add("analyse des informations", "info", "fr")
    t.add("information analysis", "info", "en")
    t.add("arrangement technique", "arr", "fr")
    t.add("UN police", "unpol", "en")
    t.add("police", "police", "en")
    return t


def found(text: str) -> list[tuple[str, ...]]:
    return [tuple(sorted(m.payloads)) for m in index().find(text)]


def test_inflection_determiners_and_order_do_not_matter() -> None:
    assert found("il faut analyser ces informations") == []  # a verb is not the noun "analyse"
    assert found("l'analyse de l'information reçue") == [("info",)]
    assert found("the analysis of such information") == [("info",)]
    assert found("les informations, leur analyse") == []  # a comma closes the window
    assert found("Who negotiates the technical arrangements?") == []
    assert found("négocier des arrangements techniques") == [("arr",)]


def test_the_window_is_bounded() -> None:
    assert found("analyse rapide et complète des informations") == [("info",)]  # two words in between
    assert found("analyse rapide, complète et détaillée des informations") == []  # a comma
    assert found("analyse rapide et complète et très détaillée des informations") == []  # four words


def test_longest_term_first_and_an_acronym_is_no_determiner() -> None:
    assert found("UN police missions") == [("unpol",)]
    assert found("un police officer") == [("police",)]
    matches = index().find("des arrangements techniques")
    assert (matches[0].first, matches[0].last) == (1, 3)  # token indices of the words matched
