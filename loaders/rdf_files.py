"""RDF files (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads) -> quads for the gate."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.util import guess_format

from kg.terms import Quad


class RdfFileError(ValueError):
    pass


_QUAD_FORMATS = {"trig", "nquads"}


def read_rdf(path: Path, default_graph: URIRef) -> list[Quad]:
    """Quads of an RDF file; triples of a plain graph format go to `default_graph`."""
    fmt = guess_format(str(path)) or ("turtle" if path.suffix == ".ttl" else None)
    if fmt is None:
        raise RdfFileError(f"{path}: unknown RDF format (use .ttl, .nt, .rdf, .jsonld, .trig or .nq)")
    try:
        if fmt in _QUAD_FORMATS:
            ds = Dataset()
            ds.parse(path, format=fmt)
            out: list[Quad] = []
            for s, p, o, g in ds.quads((None, None, None, None)):
                gid = getattr(g, "identifier", g)
                out.append((s, p, o, default_graph if gid is None or "urn:x-rdflib:default" in str(gid) else gid))
            return out
        g = Graph()
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific exception types
        raise RdfFileError(f"{path}: malformed {fmt}: {exc}") from exc
    return [(s, p, o, default_graph) for s, p, o in g]


def graph_quads(g: Graph, graph: URIRef) -> list[Quad]:
    return [(s, p, o, graph) for s, p, o in g]
