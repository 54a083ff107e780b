"""Reference data (organisations, network, ASI missions): Turtle files, plus the topics of mandates
described in prose, found in their text through the thesaurus like those of the legal texts."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from loaders.vocabulary import Vocabulary
from vocab.lexicon import tokenize
from vocab.namespaces import DCI
from vocab.termindex import TermIndex


def read_reference(directory: Path) -> Graph:
    g = Graph()
    for path in sorted(directory.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def annotate_mandate_topics(g: Graph, vocab: Vocabulary) -> int:
    """Add dci:topic to the mandates of `g` from their text; returns the number of triples added."""
    return annotate_mandates(g, vocab, vocab.topics, DCI.topic)


def annotate_mandates(g: Graph, vocab: Vocabulary, terms: TermIndex, predicate: URIRef) -> int:
    """Add `predicate` to the mandates of `g` for each concept of `terms` their own text names (through the
    lemma matcher), outside organisation names; returns the number of triples added."""
    added = 0
    for m in set(g.subjects(RDF.type, DCI.Mandate)):
        for text in g.objects(m, DCI.text):
            tokens = tokenize(str(text))
            inside_org = {i for o in vocab.orgs.find(str(text), tokens) for i in range(o.first, o.last)}
            for match in terms.find(str(text), tokens):
                if match.first in inside_org:
                    continue  # an organisation's name ("… de la communication") is neither a topic nor an activity
                for c in match.payloads:
                    if (m, predicate, c) not in g:
                        g.add((m, predicate, c))
                        added += 1
    return added
