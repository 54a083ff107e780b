"""SPARQL constraints evaluated once, not once per focus node.

A SPARQL-based constraint is run by the SHACL engine once per focus node of its shape, with $this pre-bound:
at 100,000 instruments (about 400,000 instruments and status changes) the ten SPARQL constraints of the
register shapes were most of the whole-graph validation's time, spent in per-node query overhead
(BENCHMARKS.md, "Whole-graph validation and register import at 100k"). Each such constraint is moved here
into a node shape of its own whose target is a SHACL-AF SPARQL target: the constraint's own WHERE clause
joined with the pattern of its shape's target (`$this rdf:type/rdfs:subClassOf* C` for sh:targetClass C,
`$this P ?o` for sh:targetSubjectsOf P), evaluated once over the graph. Its focus nodes are then exactly the
nodes the constraint reports, and the constraint itself, unchanged, writes the same results (focus node,
message, values, severity) for them. The shapes as written (shapes/*.ttl) stay the specification; the
equality of the two reports is tested on a store violating each constraint
(tests/integration/test_sparql_targets.py)."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf, SH.target}
_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?[^{]*?\bWHERE\s*\{(?P<body>.*)\}\s*$", re.S | re.I)
_COPIED = (SH.severity, SH.message, SH.deactivated)


def _target_pattern(g: Graph, shape) -> str | None:
    """The pattern selecting the shape's focus nodes, or None when its targets are not exactly one class
    or one predicate (such a shape is left as written)."""
    found = [(p, o) for p in _TARGETS for o in g.objects(shape, p)]
    if len(found) != 1 or not isinstance(found[0][1], URIRef):
        return None
    p, o = found[0]
    if p == SH.targetClass:
        return f"$this <{RDF.type}> ?targetClass__ . ?targetClass__ <{RDFS.subClassOf}>* <{o}> ."
    if p == SH.targetSubjectsOf:
        return f"$this <{o}> ?targetObject__ ."
    return None


def _target_query(select: str, pattern: str) -> str | None:
    """The constraint's query with $this free, joined with the target pattern, projecting $this only.
    The pattern is put in the WHERE clause's own group (not a sub-group): a FILTER of that group, which
    may be all the clause holds (a NOT EXISTS on $this), then reads $this as bound by the pattern."""
    m = _SELECT.match(select)
    if not m or "__" in select:
        return None
    return f"SELECT DISTINCT $this WHERE {{\n  {pattern}\n{m.group('body')}}}"


def with_sparql_targets(written: Graph, shapes: set) -> Graph:
    """A copy of the shapes graph in which every SPARQL constraint of one of `shapes` (node shapes targeting
    one class or one predicate) moves to a node shape of its own whose SPARQL target selects the nodes it
    reports."""
    g = Graph()
    for prefix, ns in written.namespaces():
        g.bind(prefix, ns)
    g += written
    for shape in sorted(shapes, key=str):
        pattern = _target_pattern(written, shape)
        if pattern is None:
            continue
        for constraint in sorted(written.objects(shape, SH.sparql), key=str):
            select = written.value(constraint, SH.select)
            query = _target_query(str(select), pattern) if select is not None else None
            if query is None:
                continue
            g.remove((shape, SH.sparql, constraint))
            moved = BNode()
            g.add((moved, RDF.type, SH.NodeShape))
            for p in _COPIED:
                for o in written.objects(shape, p):
                    g.add((moved, p, o))
            target = BNode()
            g.add((moved, SH.target, target))
            g.add((target, RDF.type, SH.SPARQLTarget))
            g.add((target, SH.select, Literal(query)))
            for prefixes in written.objects(constraint, SH.prefixes):
                g.add((target, SH.prefixes, prefixes))
            g.add((moved, SH.sparql, constraint))
    return g
