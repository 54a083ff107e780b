"""RDF files (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads) -> quads for the gate.

Every parse is safe on an untrusted file (loaders.rdf_safety: nothing fetched, no XML entities) and every
refusal is an RdfFileError whose message names the file by its name only and never shows a Python repr."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import Dataset, Graph, URIRef
from rdflib.parser import PythonInputSource
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from loaders.rdf_safety import UnsafeDocument, check_json_ld, check_xml
from vocab.namespaces import ID
from vocab.terms import Quad, invalid_term


class RdfFileError(ValueError):
    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source, self.reason = source, reason


# relative IRIs resolve against the project's IRI space, never against the file's own (server) path
BASE_IRI = str(ID)
_QUAD_FORMATS = {"trig", "nquads"}
_XML_FORMATS = {"xml", "trix"}


def read_rdf(path: Path, default_graph: URIRef) -> list[Quad]:
    """Quads of an RDF file; triples of a plain graph format go to `default_graph`."""
    fmt = guess_format(str(path)) or ("turtle" if path.suffix == ".ttl" else None)
    if fmt is None:
        raise RdfFileError(str(path), "unknown RDF format (use .ttl, .nt, .rdf, .jsonld, .trig or .nq)")
    try:
        quads = _parse(path, fmt, default_graph)
    except UnsafeDocument as exc:
        raise RdfFileError(str(path), str(exc)) from None
    except RecursionError:
        raise RdfFileError(str(path), f"malformed {fmt}: nested too deeply") from None
    except Exception as exc:  # rdflib raises many parser-specific exception types
        raise RdfFileError(str(path), f"malformed {fmt}: {_reason(exc, path)}") from exc
    bad = invalid_term(quads)
    if bad is not None:
        raise RdfFileError(str(path), bad)
    return quads


def _parse(path: Path, fmt: str, default_graph: URIRef) -> list[Quad]:
    if fmt in _XML_FORMATS:
        check_xml(path.read_bytes())
    if fmt == "json-ld":
        doc = json.loads(path.read_bytes())
        check_json_ld(doc)
        g = Graph()
        # the checked object itself is parsed: no second reading of the bytes can differ from what was checked
        g.parse(PythonInputSource(doc, BASE_IRI), format=fmt, publicID=BASE_IRI)
        return [(s, p, o, default_graph) for s, p, o in g]
    if fmt in _QUAD_FORMATS:
        ds = Dataset()
        ds.parse(path, format=fmt, publicID=BASE_IRI)
        out: list[Quad] = []
        for s, p, o, g in ds.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            out.append((s, p, o, default_graph if gid is None or "urn:x-rdflib:default" in str(gid) else gid))
        return out
    g = Graph()
    g.parse(path, format=fmt, publicID=BASE_IRI)
    return [(s, p, o, default_graph) for s, p, o in g]


def _reason(exc: Exception, path: Path) -> str:
    """The parser's own words, without the server path or a Python repr."""
    if isinstance(exc, BadSyntax):
        return f"line {exc.lines + 1}: {getattr(exc, '_why', 'bad syntax')}"
    if isinstance(exc, SAXParseException):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return str(exc)
    if type(exc).__module__.startswith("rdflib"):  # ParserError, JSON-LD errors: messages about the input
        return str(exc).replace(path.resolve().as_uri(), path.name).replace(str(path.parent), "")
    return "the document cannot be parsed"


def graph_quads(g: Graph, graph: URIRef) -> list[Quad]:
    return [(s, p, o, graph) for s, p, o in g]
