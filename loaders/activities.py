"""The activity facet of mandates: dci:activity for each activity term a mandate's own text uses, found through
the lemma matcher like its topics (the activity scheme is ontology/activities.ttl)."""

from __future__ import annotations

from rdflib import Graph

from loaders.reference import annotate_mandates
from loaders.vocabulary import Vocabulary
from vocab.namespaces import DCI


def annotate_mandate_activities(g: Graph, vocab: Vocabulary) -> int:
    """Add dci:activity to the mandates of `g` from their text; returns the number of triples added."""
    return annotate_mandates(g, vocab, vocab.activities, DCI.activity)
