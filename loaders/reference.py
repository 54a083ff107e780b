"""Reference data (organisations, network, ASI missions): Turtle files, plus the topics of mandates
described in prose, found in their text through the thesaurus like those of the legal texts."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from loaders.vocabulary import Vocabulary
from vocab.lexicon import tokenize
from vocab.namespaces import DCI


def read_reference(directory: Path) -> Graph:
    g = Graph()
    for path in sorted(directory.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def annotate_mandate_topics(g: Graph, vocab: Vocabulary) -> int:
    """Add dci:topic to the mandates of `g` from their text; returns the number of triples added."""
    added = 0
    for m in set(g.subjects(RDF.type, DCI.Mandate)):
        for text in g.objects(m, DCI.text):
            tokens = tokenize(str(text))
            inside_org = {i for o in vocab.orgs.find(str(text), tokens) for i in range(o.first, o.last)}
            for match in vocab.topics.find(str(text), tokens):
                if match.first in inside_org:
                    continue  # an organisation's name is not a topic
                for t in match.payloads:
                    if (m, DCI.topic, t) not in g:
                        g.add((m, DCI.topic, t))
                        added += 1
    return added
