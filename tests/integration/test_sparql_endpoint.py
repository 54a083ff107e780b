"""/sparql with real clients (SPARQLWrapper, rdflib's SPARQLStore) on both backends, and its refusals."""

from __future__ import annotations

import contextlib
import csv
import io
import time

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.sparql import guard as sparql_guard
from tests.listener import Listener

DIRECTORATES = """PREFIX dci: <https://w3id.org/dci-kg/ontology#>
SELECT ?org ?key WHERE { ?org a dci:Directorate ; dci:key ?key } ORDER BY ?key"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBLEM = "application/problem+json"


def wrapper(api, fmt, query=DIRECTORATES) -> SPARQLWrapper:
    w = SPARQLWrapper(api.url + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


def test_sparqlwrapper_json(api):
    rows = wrapper(api, JSON).queryAndConvert()["results"]["bindings"]
    assert "DCI" in [r["key"]["value"] for r in rows]


def test_sparqlwrapper_xml(api):
    doc = wrapper(api, XML).queryAndConvert()  # a DOM document
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert "DCI" in values


def test_sparqlwrapper_csv_and_tsv(api):
    text = wrapper(api, CSV).queryAndConvert().decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "DCI" in [r["key"] for r in rows]
    tsv = wrapper(api, TSV).queryAndConvert().decode()
    assert tsv.splitlines()[0].split("\t") == ["?org", "?key"]
    assert '"DCI"' in tsv


def test_sparqlwrapper_construct_is_turtle(api):
    q = 'CONSTRUCT { ?o a ?t } WHERE { ?o a ?t ; <https://w3id.org/dci-kg/ontology#key> "DCI" }'
    w = wrapper(api, TURTLE, q)
    result = w.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=result.convert(), format="turtle")
    assert (URIRef("https://w3id.org/dci-kg/id/org/DCI"), None, None) in g


def test_sparqlwrapper_ask(api):
    assert wrapper(api, JSON, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore(api):
    store = SPARQLStore(api.url + "/sparql", returnFormat="json")
    g = Graph(store=store)
    keys = {str(r.key) for r in g.query(DIRECTORATES)}
    assert "DCI" in keys
    store_xml = SPARQLStore(api.url + "/sparql", returnFormat="xml")
    assert "DCI" in {str(r.key) for r in Graph(store=store_xml).query(DIRECTORATES)}
    built = Graph(store=store_xml).query("CONSTRUCT { ?o a ?t } WHERE { ?o a ?t } LIMIT 3")
    assert len(built.graph) == 3


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(api, accept, media):
    headers = {"Accept": accept} if accept else {}
    r = api.client().get("/sparql", params={"query": DIRECTORATES}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "application/rdf+xml"),
    ],
)
def test_graph_content_negotiation(api, accept, media):
    headers = {"Accept": accept} if accept else {}
    r = api.client().get("/sparql", params={"query": "DESCRIBE <https://w3id.org/dci-kg/id/org/DCI>"}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}.get(media, "xml")
    assert len(Graph().parse(data=r.text, format=fmt)) > 5


def test_post_forms(api):
    c = api.client()
    form = c.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    direct = c.post("/sparql", content=b"ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"})
    assert form.json()["boolean"] is True and direct.json()["boolean"] is True


def test_service_description_without_query(api):
    r = api.client().get("/sparql")
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(api.url + "/sparql"), URIRef(sd + "endpoint"), URIRef(api.url + "/sparql")) in g


def test_not_acceptable_and_syntax_errors_are_problems(api):
    c = api.client()
    r = c.get("/sparql", params={"query": DIRECTORATES}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.headers["content-type"].startswith(PROBLEM)
    bad = c.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith(PROBLEM)
    assert bad.json()["detail"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"params": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
        {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
        {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    ],
)
def test_updates_are_refused(api, request_kwargs):
    before = api.store.generation
    c = api.client("admin")
    r = c.post("/sparql", **request_kwargs)
    assert r.status_code == 400 and "read-only" in r.json()["detail"]
    assert api.store.generation == before


@pytest.fixture
def listeners():
    made = []
    with contextlib.suppress(PermissionError):  # the address of the issue (binding port 9 needs the right)
        made.append(Listener(9))
    made.append(Listener())  # and a port the store's HTTP client would not refuse
    yield made
    for listener in made:
        listener.close()


def test_service_is_refused_and_nothing_reaches_the_address(api, listeners):
    c = api.client("admin")
    for listener in listeners:
        for q in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}",
            f"select * {{ service silent <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        ):
            r = c.get("/sparql", params={"query": q})
            assert r.status_code == 400 and "SERVICE" in r.json()["detail"]
    time.sleep(0.3)
    assert [listener.hits for listener in listeners] == [0] * len(listeners)


def test_a_query_past_the_time_limit_is_stopped(api):
    started = time.monotonic()
    r = api.client().get("/sparql", params={"query": SLOW})
    assert r.status_code == 503 and r.headers["content-type"].startswith(PROBLEM)
    assert time.monotonic() - started < 60  # it did not run to completion (hours)
    if api.backend == "embedded":
        # the worker that ran it was killed: its process is gone
        pool = api.app.state.dcikg.runner.pool
        assert all(w.process.is_alive() for w in list(pool._idle))
        assert pool.killed >= 1
    # the endpoint still answers
    assert api.client().get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_row_cap(api):
    r = api.client().get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    cap = int(r.headers["dcikg-row-cap"])
    assert len(list(csv.reader(io.StringIO(r.text)))) - 1 == cap == 1000  # literals may hold newlines
    g = api.client().get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"}
    )
    assert len(g.text.strip().splitlines()) == cap and g.headers["dcikg-truncated"] == "true"


# -- the query checks, without HTTP --------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?s <http://x/service> ?service . FILTER(?service != "SERVICE") }',
        "# SERVICE in a comment\nASK { ?s ?p ?o }",
        "PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:drop ?o }",
        'SELECT * WHERE { ?s ?p "load"@en }',
    ],
)
def test_check_lets_through_keywords_that_are_not_keywords(query):
    sparql_guard.check(query, 10_000)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SeRvIcE <http://x/> { ?s ?p ?o } }",
        "DELETE WHERE { ?s ?p ?o }",
        "SELECT * FROM <http://g> { ?s ?p ?o }",
    ],
)
def test_check_refuses(query):
    with pytest.raises(sparql_guard.QueryRefused):
        sparql_guard.check(query, 10_000)
