"""Term matching on lemmas (vocab/termindex.py): order, determiners and inflection do not matter; a clause
boundary and a distant word do; an acronym is never taken for a function word."""

from __future__ import annotations

from vocab.lexicon import tokenize
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


def test_a_word_misspelt_by_one_letter_finds_its_term_once_spelling_is_learnt() -> None:
    t = index()
    other = TermIndex(FUNCTION_WORDS)
    other.add("formation", "training", "fr")
    assert [m.payloads for m in t.find("un arangement technique")] == []
    t.learn_spelling(other)
    assert [tuple(m.payloads) for m in t.find("un arangement technique")] == [("arr",)]  # a letter missing
    assert [tuple(m.payloads) for m in t.find("l'analyse des informatoins")] == [("info",)]  # two swapped
    # the other index's words are learnt too: its matcher reads the words this index corrected
    assert [tuple(m.payloads) for m in other.find("formaton", content=t.words("formaton", tokenize("formaton")))] == [
        ("training",)
    ]
    # a word of five letters is a label word of six with a letter missing, no more ("acord": accord)
    t.add("accord", "agreement", "fr")
    t.learn_spelling(other)
    assert [tuple(m.payloads) for m in t.find("l'acord")] == [("agreement",)]
    assert t.find("l'acorb") == [] and t.find("l'accorb") != []
    # a word a dictionary knows is no misspelling, and a short word is never corrected
    assert t.find("un arrangeant technique") == [] and t.find("la polie") == []


def test_a_spread_term_yields_a_word_to_a_tight_term_but_not_to_one_inside_it() -> None:
    t = TermIndex(FUNCTION_WORDS | {"a", "with", "on", "and"})
    t.add("road safety technical cooperation", "road-safety-cooperation", "en")
    t.add("road safety cooperation", "road-safety-cooperation", "en")
    t.add("technical arrangement", "arrangement", "en")
    t.add("police abroad", "police-missions", "en")
    t.add("police", "police", "en")
    t.add("civil security", "civil-security", "en")
    words = lambda text: [tuple(sorted(m.payloads)) for m in t.find(text)]  # noqa: E731
    # "technical" belongs to the arrangement it is written with, not to the cooperation spread over it
    assert words("a technical arrangement with Morocco on road safety cooperation") == [
        ("arrangement",),
        ("road-safety-cooperation",),
    ]
    assert words("road safety technical cooperation") == [("road-safety-cooperation",)]
    # "police" alone lies inside "police … abroad": the longer term keeps it
    assert words("police and civil security abroad") == [("police-missions",), ("civil-security",)]


def test_a_misspelling_one_edit_from_several_words_of_one_concept_only_is_corrected() -> None:
    t = TermIndex(FUNCTION_WORDS | {"est", "en", "a", "the"})
    t.add("informé", "informed", "fr")
    t.add("informer", "informed", "fr")
    t.add("kept informed", "informed", "en")
    t.learn_spelling()
    # "informee" (accents dropped) is one edit from "informé", "informer" and "informed": one concept, corrected
    assert [tuple(m.payloads) for m in t.find("la DCI est informee")] == [("informed",)]
    other = TermIndex(FUNCTION_WORDS | {"est", "en", "a", "the"})
    other.add("informel", "informal", "fr")
    t.learn_spelling(other)
    # one edit from words of two concepts ("informel" too): a guess between meanings, not corrected
    assert t.find("la DCI est informee") == []
