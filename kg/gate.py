"""The write gate: every write is validated by SHACL before it is committed, or nothing changes.

A write is a batch of quads to remove and to add. The gate validates the focus nodes the batch
touches, over the batch plus their neighbourhood in the store (so its cost does not grow with the
store), then commits the batch in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg import queries
from kg.settings import get_settings
from kg.shapes import class_hierarchy, shapes_graph
from kg.store import EmbeddedStore, Store
from kg.terms import Quad, quads_to_ox, to_ox


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


@dataclass
class WriteRejected(Exception):
    """SHACL refused the write; nothing was committed."""

    violations: list[Violation] = field(default_factory=list)
    report_text: str = ""

    def __str__(self) -> str:
        lines = [f"write refused: {len(self.violations)} SHACL violation(s); the store is unchanged"]
        lines += [f"  - {v}" for v in self.violations[:50]]
        if len(self.violations) > 50:
            lines.append(f"  … and {len(self.violations) - 50} more")
        return "\n".join(lines)


def violations_of(report: Graph) -> list[Violation]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        path = report.value(r, SH.resultPath)
        out.append(
            Violation(
                focus=str(report.value(r, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message=str(report.value(r, SH.resultMessage) or "constraint violated"),
                severity=str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def engine(name: str | None = None):
    """The validate() function of the SHACL engine: pyshacl (the reference) or pyshacl-turbo (same API,
    same verdicts on the shapes' valid/invalid pairs — tests/test_agreements_shapes.py)."""
    if (name or get_settings().shacl_engine) == "turbo":
        from pyshacl_turbo import validate as turbo

        return turbo
    return validate


def check(data: Graph | ox.Store, focus: list | None = None, *, engine_name: str | None = None) -> None:
    """Validate `data`; raise WriteRejected on violations (only those about `focus` nodes, if given).

    pyshacl's own focus-node mode skips shapes that target a superclass of the node's class and nested
    sh:node checks, so the extracted subgraph is validated whole and the report filtered: the neighbours
    in it are partial, their own violations are not the write's."""
    conforms, report, text = engine(engine_name)(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure: the shapes themselves are wrong
        raise RuntimeError(f"SHACL validation could not run: {text}")
    if conforms:
        return
    violations = violations_of(report)
    if focus is not None:
        wanted = {str(f) for f in focus}
        violations = [v for v in violations if v.focus in wanted]
    if violations:
        raise WriteRejected(violations, text)


def focus_nodes(add: Iterable[Quad], remove: Iterable[Quad]) -> list:
    """The subjects a batch touches, in first-seen order."""
    return list(dict.fromkeys(s for s, _p, _o, _g in [*add, *remove]))


def _neighbourhood_queries(nodes: list, query: str) -> Iterator[str]:
    iris = [n for n in nodes if isinstance(n, URIRef)]
    for chunk in range(0, len(iris), 500):
        part = iris[chunk : chunk + 500]
        yield queries.load(query).text.replace("#{focus}", queries.values_block("f", part))


def neighbourhood(store: Store, nodes: list, query: str = "neighbourhood") -> Graph:
    g = Graph()
    for text in _neighbourhood_queries(nodes, query):
        g += store.construct(text)
    return g


def hierarchy_quads() -> list[ox.Quad]:
    """The class hierarchy as pyoxigraph quads of the default graph."""
    default = ox.DefaultGraph()
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), default) for s, p, o in class_hierarchy()]


def targets(add: Iterable[tuple], focus: list, rdf_type: object = RDF.type) -> list:
    """The nodes a batch points to (other than classes and its own focus nodes): the store must say what
    they are (a country, a status, an agreement) for the batch to be validated. `add` in rdflib terms,
    or in pyoxigraph terms with `rdf_type` as a pyoxigraph term (then the nodes come back as rdflib IRIs)."""
    seen = set(focus)
    found = dict.fromkeys(o for _s, p, o, _g in add if isinstance(o, URIRef | ox.NamedNode) and p != rdf_type)
    iris = (o if isinstance(o, URIRef) else URIRef(o.value) for o in found)
    return [o for o in iris if o not in seen]


def _batch_store(store: EmbeddedStore, add: list[ox.Quad], remove: list[ox.Quad], focus: list, whole: bool) -> ox.Store:
    """The graph the batch is validated on (as `_batch_graph`), built as an in-memory pyoxigraph store:
    pyshacl-turbo reads it without rdflib terms (at 10,000 imported instruments the rdflib graph took
    longer to build than the validation itself)."""
    default = ox.DefaultGraph()
    data = ox.Store()
    data.bulk_extend(hierarchy_quads())
    if whole:
        from kg.validation import copy_union  # kg.validation imports this module

        copy_union(store, data)
    else:
        points_to = targets(((q.subject, q.predicate, q.object, None) for q in add), focus, ox.NamedNode(str(RDF.type)))
        texts = [*_neighbourhood_queries(focus, "neighbourhood"), *_neighbourhood_queries(points_to, "node-triples")]
        for text in texts:
            found = store.raw_query(text, use_default_graph_as_union=True)
            data.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in found)
    for q in remove:
        data.remove(ox.Quad(q.subject, q.predicate, q.object, default))
    # added after the removals: a triple removed from one graph may still be asserted in another
    data.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in add)
    return data


def _batch_graph(store: Store, add: list[Quad], remove: list[Quad], focus: list, whole: bool) -> Graph:
    """The graph the batch is validated on: the class hierarchy, the focus nodes' neighbourhood (or the
    whole store) and the nodes the batch points to, minus the removed triples, plus the added ones."""
    data = Graph()
    data += class_hierarchy()
    if whole:
        data += store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    else:
        data += neighbourhood(store, focus)
        data += neighbourhood(store, targets(add, focus), "node-triples")
    for s, p, o, _g in remove:
        data.remove((s, p, o))
    for s, p, o, _g in add:
        data.add((s, p, o))
    # a triple removed from one graph may still be asserted in another
    still = {(s, p, o) for s, p, o, _g in add}
    for s, p, o, _g in remove:
        if (s, p, o) in still:
            data.add((s, p, o))
    return data


def commit(
    store: Store, add: list[Quad], remove: list[Quad] = (), *, whole: bool = False, engine_name: str | None = None
) -> None:
    """Validate then write. `whole=True` validates every node of the resulting graph (bulk loads)."""
    add, remove = list(add), list(remove)
    focus = focus_nodes(add, remove)
    name = engine_name or get_settings().shacl_engine
    wanted = None if whole else [n for n in focus if not isinstance(n, Literal | BNode)]
    if name == "turbo" and isinstance(store, EmbeddedStore):
        add_ox, remove_ox = list(quads_to_ox(add)), list(quads_to_ox(remove))  # converted once, for both uses
        check(_batch_store(store, add_ox, remove_ox, focus, whole), wanted, engine_name=name)
        store.apply_ox(add_ox, remove_ox)
        return
    # pyshacl (the reference engine) reads rdflib graphs; a remote store answers in rdflib terms
    check(_batch_graph(store, add, remove, focus, whole), wanted, engine_name=name)
    store.apply(add, remove)
