"""A plain BM25 anchor for the competence resolver: each mandate in force is a document (its text, the
preferred labels of its topics, the names of its beneficiaries); a question is a bag of folded words.

No thesaurus expansion, no lemmas, no exclusion clause: the figure a search box would reach, printed beside
the resolver's so that a gain or a loss reads against something plain.
"""

from __future__ import annotations

import datetime as dt
import re

from rank_bm25 import BM25Okapi

from kg.services.competence import Index, Mandate
from vocab.lexicon import fold

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1]


def document(index: Index, m: Mandate) -> list[str]:
    labels = [lab for t in sorted(m.topics) for lab in index.topic_labels.get(t, {}).values()]
    orgs = [x for o in m.beneficiaries if (org := index.orgs.get(o)) for x in (org.acronym, org.label, org.label_en)]
    return words(" ".join([m.text, *labels, *orgs]))


class Anchor:
    """BM25 over the mandates in force on a date (one model per distinct set of mandates, built lazily)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._docs = {m.iri: document(index, m) for m in index.mandates}
        self._models: dict[tuple[str, ...], BM25Okapi] = {}

    def rank(self, question: str, at: dt.date, limit: int = 3) -> list[str]:
        live = tuple(m.iri for m in self.index.mandates if m.in_force(at))
        if not live:
            return []
        model = self._models.get(live)
        if model is None:
            model = self._models[live] = BM25Okapi([self._docs[i] for i in live])
        scores = model.get_scores(words(question))
        order = sorted(range(len(live)), key=lambda i: (-scores[i], live[i]))
        return [live[i] for i in order[:limit] if scores[i] > 0]
