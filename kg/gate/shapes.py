"""The SHACL shapes and the vocabulary graph validation needs, parsed once per process."""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.namespace import RDFS

from vocab.paths import ONTOLOGY_DIR, SHAPES_DIR


@cache
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@cache
def ontology_graph() -> Graph:
    """Every Turtle file of ontology/ (classes, properties and the SKOS vocabularies)."""
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@cache
def class_hierarchy() -> Graph:
    """The rdfs:subClassOf triples: what SHACL needs to follow subclasses of a target class."""
    g = Graph()
    for t in ontology_graph().triples((None, RDFS.subClassOf, None)):
        g.add(t)
    return g
