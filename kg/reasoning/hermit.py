"""Consistency: HermiT, through owlready2, over the asserted graphs."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.reasoning.rules import materialise
from kg.store import Store
from vocab.namespaces import (
    INFERRED_GRAPH,
    INFERRED_RESTRICTED_GRAPH,
)

# datatypes of the OWL 2 datatype map that HermiT accepts; other literals are passed as plain strings
_OWL2_DATATYPES = {XSD.string, XSD.integer, XSD.boolean, XSD.decimal, XSD.anyURI, XSD.dateTime, XSD.double}


@dataclass
class ReasoningReport:
    consistent: bool
    triples: int
    classes: int
    individuals: int
    inferred_types: int = 0
    message: str = ""
    unsatisfiable: list[str] = field(default_factory=list)


def asserted_graph(store: Store) -> Graph:
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER (?g NOT IN (<{INFERRED_GRAPH}>, <{INFERRED_RESTRICTED_GRAPH}>)) }}"
    )
    return store.construct(query)


def _owl_ready(g: Graph) -> Graph:
    """`g` as owlready2 reads it: individuals declared, literals in the OWL 2 datatype map."""
    out = Graph()
    classes = set(g.subjects(RDF.type, OWL.Class))
    for s, p, o in g:
        if p == RDFS.range and str(o).startswith(str(XSD)) and o not in _OWL2_DATATYPES:
            continue  # HermiT rejects datatypes outside the OWL 2 map (xsd:date, xsd:gYear…)
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in _OWL2_DATATYPES:
            o = Literal(str(o))
        out.add((s, p, o))
        if p == RDF.type and o in classes and isinstance(s, URIRef):
            out.add((s, RDF.type, OWL.NamedIndividual))
    return out


def check_consistency(g: Graph) -> ReasoningReport:
    """Run HermiT on `g` (ontology + data). Needs Java."""
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.nt"
        _owl_ready(g).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        classes, individuals = len(list(world.classes())), len(list(world.individuals()))
        before = {(i.iri, c.iri) for i in world.individuals() for c in i.is_a if hasattr(c, "iri")}
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningReport(False, len(g), classes, individuals, message=f"inconsistent: {exc}")
        after = {(i.iri, c.iri) for i in world.individuals() for c in i.is_a if hasattr(c, "iri")}
        nothing = [c.iri for c in world.inconsistent_classes()]
        return ReasoningReport(
            True,
            len(g),
            classes,
            individuals,
            inferred_types=len(after - before),
            message="consistent",
            unsatisfiable=nothing,
        )


def reason(store: Store) -> ReasoningReport:
    report = check_consistency(asserted_graph(store))
    if report.consistent:
        report.inferred_types = materialise(store)
    return report
