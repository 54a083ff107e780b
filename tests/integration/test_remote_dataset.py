"""Graph confidentiality on /sparql over a SPARQL server: the caller's query is forwarded with the caller's
dataset (the protocol's default-graph-uri / named-graph-uri), which only protects restricted graphs where the
server keeps a query to that dataset. `oxigraph serve` does; Virtuoso 7.2 does not (FILTER EXISTS, ASK and
aggregates over a GRAPH pattern read every graph it holds). The backend probes this, and where the server
does not keep it, a query whose dataset leaves out a graph holding data is refused (403), never answered."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from api.app import create_app
from kg.auth.tokens import Role, TokenFile
from kg.settings import Settings
from kg.store.remote import META_GRAPH, NO_GRAPH, RemoteStore
from tests.conftest import QUERY_TIMEOUT, Api, serve
from tests.integration.test_api_agreements import new_id, record

RESTRICTED = "https://w3id.org/dci-kg/graph/agreements-restricted"
# a count over a graph left out of the dataset: Virtuoso counts its triples (measured), a conforming server 0
COUNT_RESTRICTED = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}"
NOT_KEPT = "does not keep a query to the graphs it is given"


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote_api(request, sparql_servers, tmp_path_factory) -> Iterator[Api]:
    """The app over its own SPARQL server (not the session's shared one: this module writes restricted data)."""
    query, update = sparql_servers.endpoints(request.param, "dataset")
    tmp = tmp_path_factory.mktemp(f"dataset-{request.param}")
    tf = TokenFile(tmp / "tokens.json")
    tokens = {r.value: tf.create(r, f"test-{r.value}")[0] for r in Role}
    settings = Settings(
        sparql_endpoint=query, sparql_update_endpoint=update, tokens_file=tmp / "tokens.json",
        query_timeout=QUERY_TIMEOUT, max_rows=1000,
    )  # fmt: skip
    store = RemoteStore(query, update)
    app = create_app(settings, store)
    with serve(app) as url:
        yield Api(url, store.kind, store, app, tokens, tmp / "tokens.json", None, request.param)
    store.close()


def leaks_outside_the_dataset(store: RemoteStore) -> bool:
    """What the server does with an ASK on a graph left out of the dataset it is given (observed directly)."""
    body = store.post_query(
        f"ASK {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} }}", "application/sparql-results+json", [NO_GRAPH]
    )
    return json.loads(body)["boolean"]


def n(r) -> int:
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_the_probe_says_what_the_server_does(remote_api):
    probe = RemoteStore(remote_api.store.endpoint, remote_api.store.update_endpoint)  # a new probe, not a cached one
    assert probe.keeps_to_dataset() is (not leaks_outside_the_dataset(probe))
    # measured: oxigraph serve keeps a query to its dataset, Virtuoso 7.2 does not
    assert probe.keeps_to_dataset() is (remote_api.server == "oxigraph")


def test_a_reader_never_gets_an_answer_from_a_restricted_graph(remote_api):
    reader, admin = remote_api.client("reader"), remote_api.client("admin")
    # nothing restricted yet: the reader's query runs on every server (nothing lies outside its dataset)
    before = reader.get("/sparql", params={"query": COUNT_RESTRICTED})
    assert before.status_code == 200, before.text
    if remote_api.store.keeps_to_dataset():  # (Virtuoso counts 1 triple in a graph that has none)
        assert n(before) == 0

    rid = new_id("TEST-DATASET")
    made = remote_api.client("negotiator").post("/agreements", json=record(rid, confidentiality="restricted"))
    assert made.status_code == 201, made.text

    r = reader.get("/sparql", params={"query": COUNT_RESTRICTED})
    if remote_api.store.keeps_to_dataset():
        assert r.status_code == 200 and n(r) == 0, r.text
    else:  # refused, with the reason, rather than answered from the restricted graph
        assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json"), r.text
        assert NOT_KEPT in r.json()["detail"] and RESTRICTED in r.json()["detail"]
    assert n(admin.get("/sparql", params={"query": COUNT_RESTRICTED})) > 0
    # the application's own reads keep the instrument from the reader on every server
    assert rid not in {i["id"] for i in reader.get("/agreements", params={"limit": 500}).json()["items"]}
    assert reader.get(f"/agreements/{rid}").status_code == 404
    assert reader.get(f"/id/instrument/{rid}").status_code == 404
    assert rid in {i["id"] for i in admin.get("/agreements", params={"limit": 500}).json()["items"]}


def test_an_admin_narrowing_the_dataset_is_refused_where_the_server_would_not_keep_to_it(remote_api):
    admin = remote_api.client("admin")
    everything = admin.get("/sparql", params={"query": COUNT_RESTRICTED})
    assert everything.status_code == 200, everything.text
    only = {"query": COUNT_RESTRICTED, "default-graph-uri": "https://w3id.org/dci-kg/graph/reference"}
    narrowed = admin.get("/sparql", params=only)
    if remote_api.store.keeps_to_dataset():
        assert narrowed.status_code == 200 and n(narrowed) == 0, narrowed.text
    else:
        assert narrowed.status_code == 403 and NOT_KEPT in narrowed.json()["detail"], narrowed.text


def test_the_probe_is_asked_once_of_a_store_loaded_by_the_servers_own_tools(sparql_servers):
    """A store bulk-loaded without dci-kg has no meta graph: the probe asks a graph that holds data, once, and
    a later call sends nothing (it used to probe twice on every /sparql request)."""
    import httpx

    query, update = sparql_servers.endpoints("oxigraph", "bulk-loaded")
    httpx.post(update, data={"update": f"INSERT DATA {{ GRAPH <{RESTRICTED}> {{ <urn:x:s> <urn:x:p> 1 }} }}"})
    store = RemoteStore(query, update)
    sent: list[str] = []
    store._http.event_hooks["request"].append(lambda request: sent.append(str(request.url)))
    assert store.keeps_to_dataset() is True
    assert sent  # probed
    sent.clear()
    assert store.keeps_to_dataset() is True
    assert sent == []
    store.close()
