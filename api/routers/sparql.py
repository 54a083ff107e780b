"""The SPARQL 1.1 Protocol at /sparql: GET, HEAD, POST form, POST application/sparql-query; a page for a browser
(api/routers/query_page.py); CORS in api/cors.py."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import Graph, URIRef
from starlette.concurrency import run_in_threadpool

from api.bodies import read_bounded
from api.deps import CallerDep, Graphs, State
from api.problems import ApiError, responses
from api.routers import query_page
from kg import sparql
from kg.auth.tokens import ANONYMOUS
from kg.store.remote import NO_GRAPH

router = APIRouter(tags=["sparql"])
_SD = Path(__file__).resolve().parent.parent / "service-description.ttl"
_SD_FORMATS = {"TURTLE": "turtle", "N_TRIPLES": "nt", "JSON_LD": "json-ld", "RDF_XML": "xml"}

_EXAMPLE = "SELECT ?org ?label WHERE { ?org a <https://w3id.org/dci-kg/ontology#Directorate> ; ?p ?label } LIMIT 5"
_DOC = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "schema": {"type": "string"},
            "example": _EXAMPLE,
            "description": "A SPARQL 1.1 query; without it the answer is the service description",
        },
        {
            "name": "default-graph-uri",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Narrow the default graph to these graphs (among those you may read)",
        },
    ],
    "requestBody": {
        "content": {
            "application/sparql-query": {"schema": {"type": "string"}, "example": _EXAMPLE},
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
            },
        }
    },
    "responses": {
        "200": {
            "description": "Results (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE), by Accept",
            "content": {f.media_type: {} for f in (*sparql.RESULT_FORMATS, *sparql.GRAPH_FORMATS)},
        }
    },
}


@cache
def _service_description(endpoint: str) -> Graph:
    return Graph().parse(_SD, format="turtle", publicID=endpoint)


async def _read(request: Request) -> tuple[str | None, list[str], bool]:
    """The query, the default-graph-uri values and whether an update was sent, from any protocol form."""
    params = list(request.query_params.multi_items())
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        # a form may percent-encode every character of a query: three bytes each, plus the other fields
        limit = 3 * request.app.state.dcikg.settings.max_query_length + 64 * 1024
        body = (await read_bounded(request, limit, "the SPARQL request")).decode("utf-8", errors="replace")
        if ctype == "application/sparql-query":
            params.append(("query", body))
        elif ctype == "application/x-www-form-urlencoded":
            params += parse_qsl(body, keep_blank_values=True)
        elif ctype == "application/sparql-update":
            return None, [], True
        elif body:
            raise ApiError(415, "POST application/sparql-query or application/x-www-form-urlencoded")
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        raise ApiError(400, "give exactly one query parameter")
    graphs = [v for k, v in params if k in ("default-graph-uri", "named-graph-uri")]
    return (queries[0] if queries else None), graphs, any(k == "update" for k, _ in params)


_OPTS: dict = {
    "openapi_extra": _DOC,
    "responses": responses(400, 406, 413, 415, 429, 503),
    "summary": "SPARQL 1.1 query endpoint (read-only)",
}


@router.get("/sparql", operation_id="sparql_get", **_OPTS)
@router.post("/sparql", operation_id="sparql_post", **_OPTS)
@router.api_route("/sparql", methods=["HEAD"], include_in_schema=False)  # as GET; the server drops the body
async def endpoint(request: Request, state: State, readable: Graphs, caller: CallerDep) -> Response:
    text, wanted, update = await _read(request)
    if update:
        raise sparql.QueryRefused("this endpoint is read-only: SPARQL updates are refused")
    accept = request.headers.get("accept")
    if text is None:
        if sparql.wants_html(accept, sparql.GRAPH_FORMATS):  # a browser opening the address: the query page
            page = request.url_for("sparql_page")
            lang = request.query_params.get("lang")
            return RedirectResponse(page.include_query_params(lang=lang) if lang else page, 303, headers=_VARY)
        fmt = sparql.negotiate(accept, sparql.GRAPH_FORMATS)
        body = _service_description(str(request.url.replace(query=""))).serialize(format=_SD_FORMATS[fmt.name])
        return Response(body, media_type=fmt.media_type, headers=_VARY)
    html = sparql.wants_html(accept, (*sparql.RESULT_FORMATS, *sparql.GRAPH_FORMATS))
    try:
        checked, answer = await _run(request, state, readable, caller, text, wanted, _FOR_PAGE if html else accept)
    except sparql.QueryRefused as exc:
        if html:  # the page again, with the query and where it went wrong
            return await run_in_threadpool(query_page.page, request, text, error=exc, status_code=400)
        raise
    if html:
        # rendering a table of up to DCIKG_MAX_ROWS rows is work: not on the event loop
        return await run_in_threadpool(query_page.page, request, text, form=checked.form, answer=answer)
    settings = state.settings
    headers = {"DCIKG-Row-Cap": str(settings.max_rows), "DCIKG-Result-Byte-Cap": str(settings.max_result_bytes)}
    if answer.truncated:
        headers["DCIKG-Truncated"] = "true"
    return Response(answer.body, media_type=answer.media_type, headers={**headers, **_VARY})


_VARY = {"Vary": "Accept"}
# what the query page shows: SELECT/ASK results as JSON (a table), a graph as Turtle
_FOR_PAGE = "application/sparql-results+json, text/turtle;q=0.9"


async def _run(request, state, readable, caller, text: str, wanted: list[str], accept: str | None):
    """Check and run a caller's query within its share of the workers and the time limit."""
    settings = state.settings
    address = request.client.host if request.client else ""
    client = f"address:{address}" if caller is ANONYMOUS else f"token:{caller.name}"
    with state.sparql_share.slot(client):
        deadline = time.monotonic() + settings.query_timeout  # for the check and the run together
        checked = await state.runner.check(text, settings.max_query_length, settings.max_rows, deadline)
        fmt = sparql.negotiate(accept, sparql.formats_for(checked.form))
        graphs = [g for g in readable if str(g) in wanted] if wanted else readable
        graphs = graphs if graphs else [URIRef(NO_GRAPH)]  # nothing readable: an empty dataset
        answer = await state.runner.run(checked, fmt, graphs, deadline, settings.max_rows, settings.max_result_bytes)
    return checked, answer
