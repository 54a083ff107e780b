"""/sparql for tools outside the app, over real HTTP on both backends: CORS (a query editor or a notebook in
another origin), HEAD, a page for a browser (and the protocol for every other client), syntax errors where
they are; and the query page's named queries bound from their fields."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from rdflib import Graph

from api.app import create_app
from kg.queries.catalogue import catalogue
from kg.settings import Settings
from kg.store import EmbeddedStore
from tests.conftest import QUERY_TIMEOUT, serve

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ORIGIN = "http://yasgui.example"
DIRECTORATES = (
    "PREFIX dci: <https://w3id.org/dci-kg/ontology#> SELECT ?key WHERE { ?o a dci:Directorate ; dci:key ?key }"
)
# ?extra is the mistake, on the third line of a triples block (line 5, column 26); pyparsing said line 3
BAD = """PREFIX dci: <https://w3id.org/dci-kg/ontology#>
SELECT ?id WHERE {
  ?instrument dci:key ?id ;
      dci:signedOn ?signed ;
      dci:status ?status ?extra .
}
"""


# -- syntax errors where they are -----------------------------------------------------------------------
def test_a_syntax_error_is_reported_where_it_is(api):
    assert BAD.split("\n")[4][25:31] == "?extra"
    with api.client() as c:
        for r in (
            c.post("/sparql", data={"query": BAD}),
            c.get("/sparql", params={"query": BAD}),
            c.post("/sparql", content=BAD.encode(), headers={"Content-Type": "application/sparql-query"}),
        ):
            assert r.status_code == 400, r.text
            problem = r.json()
            assert (problem["line"], problem["column"]) == (5, 26)
            assert "line 5, column 26" in problem["detail"] and "?extra" in problem["detail"]
        undefined = c.get("/sparql", params={"query": "SELECT ?x WHERE {\n  ?x foo:key ?k\n}"}).json()
        assert (undefined["line"], undefined["column"]) == (2, 6) and "foo:" in undefined["detail"]


# -- HEAD -----------------------------------------------------------------------------------------------
def test_head_answers_like_get_without_a_body(api):
    with api.client() as c:
        for params in ({}, {"query": DIRECTORATES}):
            get, head = c.get("/sparql", params=params), c.head("/sparql", params=params)
            assert head.status_code == get.status_code == 200
            assert head.headers["content-type"] == get.headers["content-type"] and head.content == b""
        assert c.head("/sparql", params={"query": BAD}).status_code == 400


# -- CORS -----------------------------------------------------------------------------------------------
def test_a_page_of_another_origin_can_query_after_a_preflight(api):
    with api.client() as c:
        pre = c.options(
            "/sparql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "*"
        assert {"GET", "HEAD", "POST"} <= {m.strip() for m in pre.headers["access-control-allow-methods"].split(",")}
        assert "content-type" in pre.headers["access-control-allow-headers"].lower()
        r = c.post(
            "/sparql",
            content=DIRECTORATES.encode(),
            headers={"Origin": ORIGIN, "Content-Type": "application/sparql-query"},
        )
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
        assert "dcikg-truncated" in r.headers["access-control-expose-headers"].lower()
        assert {"DCI", "DAEI"} <= {b["key"]["value"] for b in r.json()["results"]["bindings"]}
        bad = c.get("/sparql", params={"query": BAD}, headers={"Origin": ORIGIN})  # the editor can show the error
        assert bad.status_code == 400 and bad.headers["access-control-allow-origin"] == "*"
        for r in (pre, bad):
            assert "access-control-allow-credentials" not in r.headers


def test_cors_is_only_on_sparql_and_never_with_credentials(api):
    with api.client() as c:
        token = c.options(
            "/sparql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert token.status_code == 400  # with "*", a page may not send a bearer token
        write = c.options(
            "/agreements",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert "access-control-allow-origin" not in write.headers
        for path in ("/health", "/agreements", "/query"):
            assert "access-control-allow-origin" not in c.get(path, headers={"Origin": ORIGIN}).headers


@pytest.fixture(scope="module")
def listed(built_store, tmp_path_factory):
    """The app with a list of origins (DCIKG_CORS_ORIGINS), on a private in-memory copy of the data."""
    store = EmbeddedStore(None)
    store.bulk_add(built_store.quads())
    settings = Settings(
        store=tmp_path_factory.mktemp("cors") / "unused",
        query_timeout=QUERY_TIMEOUT,
        cors_origins="https://notebook.example, https://editor.example/",
        sparql_workers=1,
    )
    with serve(create_app(settings, store)) as url:
        yield url
    store.close()


def test_listed_origins_only_and_they_may_send_a_token(listed):
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    with httpx.Client(base_url=listed, timeout=30) as c:
        ok = c.options("/sparql", headers={"Origin": "https://editor.example", **ask})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://editor.example"
        assert "authorization" in ok.headers["access-control-allow-headers"].lower()
        assert c.options("/sparql", headers={"Origin": ORIGIN, **ask}).status_code == 400
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://notebook.example"})
        assert (
            r.headers["access-control-allow-origin"] == "https://notebook.example"
            and "origin" in r.headers["vary"].lower()
        )
        assert (
            "access-control-allow-origin"
            not in c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": ORIGIN}).headers
        )


# -- a page for a browser, the protocol for the others ------------------------------------------------
def test_a_browser_opening_sparql_gets_the_query_page(api):
    with api.client() as c:
        r = c.get("/sparql", headers={"Accept": BROWSER})
        assert r.status_code == 303 and r.headers["location"].endswith("/query")
        en = c.get("/sparql", params={"lang": "en"}, headers={"Accept": BROWSER})
        assert en.status_code == 303 and en.headers["location"].endswith("/query?lang=en")
        page = c.get("/sparql", headers={"Accept": BROWSER}, follow_redirects=True)
        assert page.headers["content-type"].startswith("text/html") and 'id="sparql-form"' in page.text


def test_a_browser_sending_a_query_gets_a_table(api):
    with api.client() as c:
        r = c.post("/sparql", data={"query": DIRECTORATES}, headers={"Accept": BROWSER})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert '<th scope="col">?key</th>' in r.text and "<td>DCI</td>" in r.text
        assert html.escape(DIRECTORATES, quote=False) in r.text  # the query stays in the editor
        bad = c.post("/sparql", data={"query": BAD}, headers={"Accept": BROWSER})
        assert bad.status_code == 400 and 'data-line="5" data-column="26"' in bad.text
        graph = c.get(
            "/sparql", params={"query": "DESCRIBE <https://w3id.org/dci-kg/id/org/DCI>"}, headers={"Accept": BROWSER}
        )
        shown = re.search(r'<pre id="graph"\s*>([^<]*)</pre>', graph.text)  # not hidden, the graph in Turtle
        assert graph.status_code == 200 and shown and "direction de la coopération internationale" in shown.group(1)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/xml", "application/rdf+xml"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),  # a client preferring RDF keeps RDF
    ],
)
def test_other_clients_keep_the_service_description(api, accept, media):
    r = api.client().get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    Graph().parse(data=r.text, format="xml" if "xml" in media else "turtle")


def test_other_clients_keep_results_by_content_negotiation(api):
    with api.client() as c:
        yasgui = "application/sparql-results+json,*/*;q=0.9"
        assert c.get("/sparql", params={"query": DIRECTORATES}, headers={"Accept": yasgui}).json()["head"]["vars"] == [
            "key"
        ]
        xml = c.get("/sparql", params={"query": DIRECTORATES}, headers={"Accept": "application/xml"})
        assert xml.headers["content-type"].startswith("application/sparql-results+xml")


# -- the query page's named queries -----------------------------------------------------------------------
def test_the_query_page_offers_every_named_query_with_its_fields(api):
    with api.client() as c:
        fr, en = (html.unescape(c.get("/query", params={"lang": lang}).text) for lang in ("fr", "en"))
    for entry in catalogue().offered:
        for page, lang in ((fr, "fr"), (en, "en")):
            assert f'id="named-{entry.name}"' in page
            assert entry.label(lang) in page and entry.description(lang) in page
            for p in entry.parameters:
                assert f'id="{entry.name}-{p.variable}" name="{p.variable}"' in page and p.label(lang) in page
        assert entry.description("en") not in fr and entry.description("fr") not in en


def test_a_named_query_is_bound_from_its_fields_and_runs(api):
    with api.client() as c:
        r = c.get("/query", params={"name": "signed-not-in-force", "cutoff": "2015-06-01", "today": "2025-06-01"})
        assert r.status_code == 200 and 'data-autorun="true"' in r.text
        assert "VALUES (?cutoff ?today)" in r.text and "2015-06-01" in r.text
        start, end = r.text.index('name="query"'), r.text.index("</textarea>")
        text = html.unescape(r.text[start:end].split(">", 1)[1])
        assert "Negotiator question" not in text and "anti-join" not in text  # no developers' notes
        rows = c.post("/sparql", data={"query": text}).json()["results"]["bindings"]
        assert rows and all(b["signedOn"]["value"] < "2015-06-01" for b in rows)
        bad = c.get("/query", params={"name": "term-ending", "today": "15/01/2023", "months": "6"})
        assert bad.status_code == 400 and "Valeur refusée pour ?today" in bad.text and "data-autorun" not in bad.text
        en = c.get("/query", params={"name": "term-ending", "today": "2023-01-15", "months": "x", "lang": "en"})
        assert en.status_code == 400 and "Value refused for ?months: not a whole number" in en.text
        assert c.get("/query", params={"name": "no-such-query"}).status_code == 404
