"""The activity facet of mandates: dci:activity for each activity term a mandate's own text uses, found through
the lemma matcher like its topics (the activity scheme is ontology/activities.ttl)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from loaders.vocabulary import Vocabulary
from vocab.lexicon import tokenize
from vocab.namespaces import DCI


def annotate_mandate_activities(g: Graph, vocab: Vocabulary) -> int:
    """Add dci:activity to the mandates of `g` from their text; returns the number of triples added."""
    added = 0
    for m in set(g.subjects(RDF.type, DCI.Mandate)):
        for text in g.objects(m, DCI.text):
            tokens = tokenize(str(text))
            inside_org = {i for o in vocab.orgs.find(str(text), tokens) for i in range(o.first, o.last)}
            for match in vocab.activities.find(str(text), tokens):
                if match.first in inside_org:
                    continue  # an organisation's name ("... de la communication") is not an activity
                for a in match.payloads:
                    if (m, DCI.activity, a) not in g:
                        g.add((m, DCI.activity, a))
                        added += 1
    return added
