"""The thesaurus holds terms, not phrasings: the matcher (vocab/termindex.py) reads a label on its lemmas, in
any order and past function words, so no label may be another label of its concept inflected, permuted or
with other determiners, nor a fragment that begins or ends with a function word."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from vocab.lexicon import fold
from vocab.namespaces import DCI
from vocab.paths import ONTOLOGY_DIR
from vocab.termindex import TermIndex

LABELS_BEFORE = 3225  # prefLabel + altLabel + hiddenLabel in ontology/topics.ttl before the lemma matcher
LABELS_NOW = 2769  # verb phrasings to the activity facet (issue 13); counterparts in, phrasings out since


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for name in ("topics.ttl", "activities.ttl", "function-words.ttl"):
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def terms(graph: Graph) -> TermIndex:
    return TermIndex(frozenset(str(w) for w in graph.objects(None, DCI.word)))


def labels(graph: Graph) -> list[tuple[str, Literal]]:
    return [
        (str(s), o)
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for s, o in graph.subject_objects(p)
        if isinstance(o, Literal) and (str(s), o) is not None
    ]


def test_no_label_is_an_inflection_or_permutation_of_another_of_its_concept(graph: Graph, terms: TermIndex) -> None:
    seen: dict[tuple[str, str, tuple[str, ...]], set[str]] = defaultdict(set)
    for concept, label in labels(graph):
        seen[(concept, label.language or "", terms.canonical(str(label), label.language))].add(str(label))
    twins = {k: v for k, v in seen.items() if len(v) > 1}
    assert not twins, f"{len(twins)} groups of labels that are one term: {list(twins.values())[:10]}"


def test_no_label_is_a_fragment(graph: Graph, terms: TermIndex) -> None:
    fragments = []
    for concept, label in labels(graph):
        words = str(label).replace("'", "' ").replace("’", "’ ").split()
        edges = [w.rstrip("'’") for w in (words[0], words[-1])] if words else []
        if not terms.content(str(label)) or any(terms.is_function_word(w) for w in edges):
            fragments.append((concept.rsplit("/", 1)[-1], str(label)))
    assert not fragments, fragments[:20]


def test_fewer_labels_than_before() -> None:
    topics = Graph().parse(ONTOLOGY_DIR / "topics.ttl", format="turtle")
    n = len(labels(topics))
    assert n < LABELS_BEFORE * 0.9 and n <= LABELS_NOW, n


def test_activity_terms_are_tagged_from_mandate_texts_and_questions(terms: TermIndex, graph: Graph) -> None:
    # the activity facet is read through the same matcher: an inflected verb in a text finds its term
    scheme = "https://w3id.org/dci-kg/id/activity"
    activities = TermIndex(terms.function_words)
    for concept, label in labels(graph):
        if concept.startswith(scheme + "/"):
            activities.add(str(label), concept.rsplit("/", 1)[-1], label.language)
    found = lambda text: {p for m in activities.find(text) for p in m.payloads}  # noqa: E731
    assert found("elle est tenue informée et procède à l'évaluation") == {"being-informed", "evaluation"}
    assert found("getting French candidates elected in international bodies") == {"candidacy"}


def test_the_checks_catch_a_permutation_and_an_inflection(terms: TermIndex) -> None:
    # what the tests above rely on: the canonical form ignores order, determiners and inflection
    same = ["analyse the information", "analysing such information", "information analysed"]
    assert len({terms.canonical(x, "en") for x in same}) == 1
    assert terms.canonical("former les formateurs", "fr") == terms.canonical("formateurs formés", "fr")
    assert terms.canonical("arrangement technique", "fr") != terms.canonical("arrangement administratif", "fr")
    assert terms.is_function_word("des") and not terms.is_function_word("UN") and fold("UN") == "un"
