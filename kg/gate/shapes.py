"""The SHACL shapes and the vocabulary graph validation needs, parsed once per process."""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH

from kg.gate.targets import with_sparql_targets
from vocab.paths import ONTOLOGY_DIR, SHAPES_DIR


@cache
def shapes_graph() -> Graph:
    """The shapes as written in shapes/*.ttl: the specification, and what the gate reads predicates from."""
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@cache
def validation_shapes() -> Graph:
    """The shapes the engine runs: as written, each SPARQL constraint of a class- or predicate-targeted shape
    evaluated once through a SPARQL target instead of once per focus node (kg/gate/targets.py). Needs the
    engine's SHACL-AF mode (`advanced=True`). Only the register's shapes (shapes/agreements.ttl): their
    focus nodes grow with the register; the other shapes' few nodes gain nothing."""
    return with_sparql_targets(shapes_graph(), register_shapes())


@cache
def register_shapes() -> frozenset:
    """The node shapes of shapes/agreements.ttl (instruments, their kinds, their status changes)."""
    g = Graph().parse(SHAPES_DIR / "agreements.ttl", format="turtle")
    return frozenset(g.subjects(RDF.type, SH.NodeShape))


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
