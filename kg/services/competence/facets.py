"""The activity facet of the competence index: the activity terms (read from the store's activity scheme) and
how well a mandate's activities cover those a question names (a question's activity, or a narrower one, that
the mandate's text names; the closest wins)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg import queries
from kg.store import Store
from vocab.lexicon import Lexicon, tokenize
from vocab.termindex import TermIndex

ACTIVITY_DECAY = 0.5  # a mandate naming a broader activity than the question's ("influence" for "election")


@dataclass
class Activities:
    lexicon: TermIndex = field(default_factory=TermIndex)
    broader: dict[str, set[str]] = field(default_factory=dict)
    topics: dict[str, set[str]] = field(default_factory=dict)  # the topic that is this activity as a field

    def find(self, question: str, tokens, content=None) -> set[str]:
        return {a for m in self.lexicon.find(question, tokens, content) for a in m.payloads}

    def expand(self, acts: set[str]) -> dict[str, float]:
        """The question's activities with their broader ones, weighted ACTIVITY_DECAY ** distance."""
        out: dict[str, float] = {}
        frontier, w = set(acts), 1.0
        while frontier:
            for a in frontier:
                out[a] = max(out.get(a, 0.0), w)
            w *= ACTIVITY_DECAY
            frontier = {b for a in frontier for b in self.broader.get(a, ()) if b not in out}
        return out


def read_activities(store: Store, function_words: frozenset[str]) -> Activities:
    lexicon = TermIndex(function_words)
    broader: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.load("activities").text):
        a = str(row["activity"])
        if row["label"] is not None:
            label = row["label"]
            lexicon.add(str(label), a, getattr(label, "language", None))
        if row["broader"] is not None:
            broader[a].add(str(row["broader"]))
        if row["topic"] is not None:
            topics[a].add(str(row["topic"]))
    return Activities(lexicon, dict(broader), dict(topics))


@dataclass
class TextKinds:
    """The kinds of legal texts: a text's kind is the first kind term of its title; a question may name one, or
    rule one out ("the decree, not the arrêté": a kind right after a negation word, function words between)."""

    lexicon: TermIndex = field(default_factory=TermIndex)
    negations: frozenset[str] = frozenset()  # folded negation words (ontology/function-words.ttl)

    def find(self, question: str, tokens, content=None) -> set[str]:
        found = self.lexicon.find(question, tokens, content)
        return {k for m in found if not self._negated(tokens, m.first) for k in m.payloads}

    def _negated(self, tokens, first: int) -> bool:
        i = first - 1
        while i >= 0 and tokens[i].norm not in self.negations and self.lexicon.is_function_word(tokens[i].norm):
            i -= 1
        return i >= 0 and tokens[i].norm in self.negations

    def of_title(self, title: str) -> str | None:
        found = self.lexicon.find(title)
        return next(iter(sorted(found[0].payloads))) if found else None


def read_text_kinds(store: Store, function_words: frozenset[str]) -> TextKinds:
    lexicon = TermIndex(function_words)
    for row in store.select(queries.load("text-kinds").text):
        lexicon.add(str(row["label"]), str(row["kind"]), getattr(row["label"], "language", None))
    rows = store.select(queries.load("negation-words").text)
    negations = frozenset(t.norm for r in rows for t in tokenize(str(r["word"])))
    return TextKinds(lexicon, negations)


_NUMBER = re.compile(r"\b\d+(?:-\d+)+\b")  # a text's number in its title ("n° 2013-728")


@dataclass
class TextNames:
    """The names that designate one legal text: its number in its title and its NOR. A question citing one
    ("decree 2013-728", "INTA1319065A") asks for the provisions of that text."""

    lexicon: Lexicon = field(default_factory=Lexicon)

    def find(self, question: str, tokens) -> set[str]:
        return {t for m in self.lexicon.find(question, tokens) for t in m.payloads}


def read_text_names(texts: Iterable[dict]) -> TextNames:
    """From the mandates' legal texts (`Mandate.basis`): a name shared by two texts designates neither."""
    owners: dict[str, set[str]] = defaultdict(set)
    for basis in texts:
        for name in _NUMBER.findall(basis["title"] or "") + ([basis["nor"]] if basis.get("nor") else []):
            owners[name].add(basis["iri"])
    lexicon = Lexicon()
    for name, iris in owners.items():
        if len(iris) == 1:
            lexicon.add(name, next(iter(iris)))
    return TextNames(lexicon)
