"""The SPARQL 1.1 Protocol without HTTP: result formats and content negotiation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.sparql.errors import NotAcceptable
from kg.sparql.guard import Form


@dataclass(frozen=True)
class Checked:
    form: Form
    text: str  # the text to run: the parsed query, wrapped in the row cap


# -- content negotiation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Format:
    media_type: str
    name: str  # the pyoxigraph format attribute (QueryResultsFormat or RdfFormat)
    aliases: tuple[str, ...] = ()


RESULT_FORMATS = (  # first = default
    Format("application/sparql-results+json", "JSON", ("application/json",)),
    Format("application/sparql-results+xml", "XML", ("application/xml", "text/xml")),
    Format("text/csv", "CSV"),
    Format("text/tab-separated-values", "TSV"),
)
GRAPH_FORMATS = (
    Format("text/turtle", "TURTLE", ("application/x-turtle",)),
    Format("application/n-triples", "N_TRIPLES", ("text/plain",)),
    Format("application/ld+json", "JSON_LD", ("application/json",)),
    Format("application/rdf+xml", "RDF_XML", ("application/xml", "text/xml")),
)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    out = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def negotiate(accept: str | None, formats: Sequence[Format]) -> Format:
    """The format the client prefers (q-values; exact type > type/* > */*; ties go to our order)."""
    ranges = parse_accept(accept)
    best: tuple[float, int, Format] | None = None
    for order, fmt in enumerate(formats):
        names = (fmt.media_type, *fmt.aliases)
        q, spec = -1.0, -1
        for rng, rq in ranges:
            if rng in names:
                s = 2
            elif rng.endswith("/*") and fmt.media_type.startswith(rng[:-1]):
                s = 1
            elif rng == "*/*":
                s = 0
            else:
                continue
            if s > spec:
                q, spec = rq, s
        if q > 0 and (best is None or q > best[0] or (q == best[0] and order < best[1])):
            best = (q, order, fmt)
    if best is None:
        offered = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(f"no acceptable format for this query; this endpoint offers {offered}")
    return best[2]


HTML_TYPES = ("text/html", "application/xhtml+xml")


def wants_html(accept: str | None, formats: Sequence[Format]) -> bool:
    """Whether the client is a browser asking for a page: it names text/html (not only */*) with a q-value at
    least that of any of `formats` it names. A browser's Accept names application/xml at 0.9 (RDF/XML, XML
    results): without this rule it would get RDF/XML; a SPARQL client naming no HTML gets the protocol."""
    ranges = parse_accept(accept)
    html = max((q for rng, q in ranges if rng in HTML_TYPES), default=0.0)
    if html <= 0:
        return False
    named = 0.0
    for fmt in formats:
        names = (fmt.media_type, *fmt.aliases)
        for rng, q in ranges:
            if rng in names or (rng.endswith("/*") and rng != "*/*" and fmt.media_type.startswith(rng[:-1])):
                named = max(named, q)
    return html >= named


def formats_for(form: Form) -> Sequence[Format]:
    return RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS


@dataclass
class Answer:
    media_type: str
    body: bytes
    truncated: bool = False
