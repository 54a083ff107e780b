"""The bundled data: ontology, countries, reference data and legal texts, as quads per named graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.gate.shapes import ontology_graph
from loaders.activities import annotate_mandate_activities
from loaders.countries import countries_graph
from loaders.legal_text import load_file
from loaders.rdf_files import graph_quads
from loaders.reference import annotate_mandate_topics, read_reference
from loaders.vocabulary import Vocabulary
from vocab.namespaces import COUNTRIES_GRAPH, DCI, ELI, ONTOLOGY_GRAPH, REFERENCE_GRAPH, legal_graph
from vocab.paths import LEGAL_TEXTS_DIR, REFERENCE_DIR
from vocab.terms import Quad


def reference_graph(directory: Path = REFERENCE_DIR) -> Graph:
    return read_reference(directory)


def vocabulary_graph(reference: Graph | None = None) -> Graph:
    """What the legal-text parser reads its labels from: the ontology and the reference data."""
    g = Graph()
    g += ontology_graph()
    g += reference if reference is not None else reference_graph()
    return g


def legal_text_paths(directory: Path = LEGAL_TEXTS_DIR) -> list[Path]:
    return sorted(directory.glob("*.md"))


def bundled_quads() -> dict[URIRef, list[Quad]]:
    """Every bundled named graph and its quads."""
    reference = reference_graph()
    vocab = Vocabulary.from_graph(vocabulary_graph(reference))
    annotate_mandate_topics(reference, vocab)
    annotate_mandate_activities(reference, vocab)
    graphs: dict[URIRef, list[Quad]] = {
        ONTOLOGY_GRAPH: graph_quads(ontology_graph(), ONTOLOGY_GRAPH),
        COUNTRIES_GRAPH: graph_quads(countries_graph(), COUNTRIES_GRAPH),
        REFERENCE_GRAPH: graph_quads(reference, REFERENCE_GRAPH),
    }
    texts: list[Graph] = []
    for path in legal_text_paths():
        doc, g = load_file(path, vocab)
        annotate_mandate_activities(g, vocab)
        texts.append(g)
        graphs[legal_graph(doc.key)] = graph_quads(g, legal_graph(doc.key))
    if successor_ends(reference, texts):
        graphs[REFERENCE_GRAPH] = graph_quads(reference, REFERENCE_GRAPH)
    return graphs


def successor_ends(reference: Graph, texts: list[Graph]) -> int:
    """A text recorded in the reference data (even from its metadata only) that `dci:replaces` another ends
    it the day before its own entry into force, unless an end is already known; returns the ends added."""
    known = Graph()
    for g in (reference, *texts):
        known += g
    added = 0
    for new, old in reference.subject_objects(DCI.replaces):
        start = known.value(new, ELI.first_date_entry_in_force)
        if start is None or known.value(old, ELI.date_no_longer_in_force) is not None:
            continue
        last = dt.date.fromisoformat(str(start)) - dt.timedelta(days=1)
        reference.add((old, ELI.date_no_longer_in_force, Literal(last.isoformat(), datatype=XSD.date)))
        added += 1
    return added
