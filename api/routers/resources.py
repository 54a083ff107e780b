"""Resource pages: every project IRI (https://w3id.org/dci-kg/id/…) dereferences at /id/…,
as HTML (with a label for every IRI shown) or as Turtle, JSON-LD or N-Triples by Accept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from api.deps import Graphs, State
from api.formats import collated, date, dates_in
from api.i18n import lang_of
from api.pages import render
from api.problems import ApiError, responses
from kg import sparql
from kg.services import resources
from vocab.namespaces import BASE, ID, PREFIXES
from vocab.terms import is_iri

router = APIRouter(tags=["resources"])

PAGE_FORMATS = (
    sparql.Format("text/html", "html", ("application/xhtml+xml",)),
    sparql.Format("text/turtle", "turtle"),
    sparql.Format("application/ld+json", "json-ld", ("application/json",)),
    sparql.Format("application/n-triples", "nt"),
)


def _local(request: Request, term: object) -> str | None:
    """Where an IRI is shown in this app (project IRIs link to their page here)."""
    if isinstance(term, URIRef) and str(term).startswith(str(ID)):
        return str(request.url_for("resource_page", path=str(term)[len(str(ID)) :]))
    return str(term) if isinstance(term, URIRef) else None


@router.get(
    "/id/{path:path}",
    name="resource_page",
    responses={**responses(404, 406), 200: {"content": {f.media_type: {} for f in PAGE_FORMATS}}},
    summary="Dereference a project IRI",
)
def resource_page(
    request: Request,
    state: State,
    readable: Graphs,
    path: Annotated[str, Path(examples=["org/DCI"])],
):
    fmt = sparql.negotiate(request.headers.get("accept"), PAGE_FORMATS)
    iri = URIRef(str(ID) + path)
    if not is_iri(iri):  # `<`, a space, a control character…: no such IRI exists, and none reaches a query
        raise ApiError(404, "nothing is known about this path: it is not a valid IRI")
    lang = lang_of(request)
    found = resources.describe(state.store, iri, readable, lang)
    if found is None:
        raise ApiError(404, f"nothing is known about {iri}")
    if fmt.name != "html":
        body = found.graph.serialize(format=fmt.name, **({"auto_compact": True} if fmt.name == "json-ld" else {}))
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})

    def show(term: object) -> dict:
        """A value as shown: dates in the page's language, web addresses as links, a text in another
        language marked with it."""
        if isinstance(term, Literal):
            text = date(str(term), lang) if term.datatype == XSD.date else dates_in(str(term), lang)
            link = str(term) if str(term).startswith(("https://", "http://")) else None  # an ELI, a web page
            other = term.language if term.language and term.language != lang else None
            return {"text": text, "lang": other, "href": link, "iri": None}
        key = str(term)
        other = found.label_langs.get(key)
        return {
            "text": dates_in(found.labels[key], lang) if key in found.labels else _short(key),
            "href": _local(request, term),
            "iri": key,
            "lang": other if other and other != lang else None,
        }

    out = collated(
        ((show(p), show(o)) for p, o in resources.shown(found, lang)),
        key=lambda po: po[0]["text"] + " " + po[1]["text"],
    )
    inbound = collated(
        ((show(s), show(p)) for s, p, o in found.graph.triples((None, None, iri)) if p not in resources.HIDDEN),
        key=lambda sp: sp[1]["text"] + " " + sp[0]["text"],
    )
    return render(
        request,
        "resource.html",
        {
            "iri": str(iri),
            "title": found.labels.get(str(iri), path),
            "title_lang": None if found.label_langs.get(str(iri)) == lang else found.label_langs.get(str(iri)),
            "out": out,
            "inbound": inbound,
        },
        headers={"Vary": "Accept"},
    )


def _short(iri: str) -> str:
    """A readable name for an IRI without a label: its prefixed name (skos:altLabel)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns) :]}"
    return iri.removeprefix(BASE)
