"""Conversion between rdflib terms (the toolkit around the store) and pyoxigraph terms (the store)."""

import datetime as dt
import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

Quad = tuple[Node, Node, Node, Node | None]


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store term {term!r}")


def from_ox(term: object) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        # lexical form kept as stored: rdflib must not normalise dates or numbers on the way out
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unexpected store term {term!r}")


def quad_to_ox(quad: Quad) -> ox.Quad:
    s, p, o, g = quad
    graph = ox.DefaultGraph() if g is None else ox.NamedNode(str(g))
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)


def quads_to_ox(quads: Iterable[Quad]) -> Iterator[ox.Quad]:
    return (quad_to_ox(q) for q in quads)


def quad_from_ox(quad: ox.Quad) -> Quad:
    return (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), from_ox(quad.graph_name))


# the characters RFC 3987 excludes from an IRI (and that would break out of <…> in a SPARQL text)
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')


def is_iri(text: str) -> bool:
    """True if `text` is an absolute IRI the store accepts (checked before it reaches a query or the store)."""
    if _NOT_IRI.search(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def invalid_term(quads: Iterable[Quad]) -> str | None:
    """Why the first term the store would refuse is invalid (an IRI with a space, a bad language tag…),
    or None; checked before a write so that it is a refused input, not a failure in the middle of it."""
    seen: set[Node] = set()
    for quad in quads:
        for term in quad:
            if term is None or term in seen:
                continue
            seen.add(term)
            if isinstance(term, URIRef) and not is_iri(str(term)):
                return f"not a valid IRI: <{_clip(str(term))}>"
            if isinstance(term, Literal):
                try:
                    to_ox(term)
                except ValueError as exc:
                    return f"not a valid literal: {_clip(term.n3())} ({exc})"
    return None


def _clip(text: str, width: int = 200) -> str:
    return text if len(text) <= width else text[:width] + "…"


def as_date(value: object) -> dt.date | None:
    """The date an RDF value (a literal xsd:date / xsd:dateTime, or its text) stands for; None if none."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
