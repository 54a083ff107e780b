"""Shared fixtures: the bundled data on each store under test (embedded, `oxigraph serve`, Virtuoso), and
the API on a real uvicorn over it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.server import uvicorn_config
from bench import servers
from bench.servers import free_port, wait_http
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.services.build import init
from kg.settings import Settings
from kg.store import EmbeddedStore, Store
from kg.store.remote import META_GRAPH, RemoteStore

BACKENDS = ("embedded", "oxigraph", "virtuoso")  # the stores the store, gate, service and API tests run on
QUERY_TIMEOUT = 15.0  # generous: two test workers beside servers and a browser must not time out a quick query


@pytest.fixture(scope="session")
def reference_store() -> EmbeddedStore:
    """The bundled knowledge base, built once through the gate on the embedded store: what every backend's
    copy starts from, and the reference tests compare with. Tests must not write to it."""
    store = EmbeddedStore(None)
    init(store)
    return store


class SparqlServers:
    """The SPARQL servers of the session, started on first use, one per (kind, role) so that the tests
    that read (built), write (fresh) and serve (api) never see each other's writes; all stopped at the end."""

    def __init__(self, tmp_path_factory, stack: ExitStack) -> None:
        self._tmp, self._stack, self._up = tmp_path_factory, stack, {}

    def endpoints(self, kind: str, role: str) -> tuple[str, str]:
        if (kind, role) not in self._up:
            data = self._tmp.mktemp(f"{kind}-{role}")
            self._up[kind, role] = self._stack.enter_context(servers.SERVERS[kind](data, int(QUERY_TIMEOUT)))
        return self._up[kind, role]

    def store(self, kind: str, role: str) -> RemoteStore:
        return RemoteStore(*self.endpoints(kind, role))


@pytest.fixture(scope="session")
def sparql_servers(tmp_path_factory) -> Iterator[SparqlServers]:
    with ExitStack() as stack:
        yield SparqlServers(tmp_path_factory, stack)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The store under test: the embedded one, `oxigraph serve`, or Virtuoso (both started on loopback)."""
    return request.param


def reset(store: Store, quads: list) -> None:
    """Make a remote store hold exactly `quads` (the project's graphs only: the server's own stay)."""
    for g in [*store.graph_names(), META_GRAPH]:
        store.drop_graph(g)
    store.bulk_add(quads)


@pytest.fixture(scope="session")
def built_store(backend: str, reference_store: EmbeddedStore, sparql_servers: SparqlServers) -> Iterator[Store]:
    """The bundled knowledge base on the store under test; tests must not write to it."""
    if backend == "embedded":
        yield reference_store
        return
    store = sparql_servers.store(backend, "built")
    reset(store, reference_store.quads())
    yield store
    store.close()


@pytest.fixture
def fresh_store(backend: str, reference_store: EmbeddedStore, sparql_servers: SparqlServers) -> Iterator[Store]:
    """A private copy of the bundled knowledge base on the store under test, for tests that write."""
    if backend == "embedded":
        store: Store = EmbeddedStore(None)
        store.bulk_add(reference_store.quads())
        yield store
        return
    store = sparql_servers.store(backend, "fresh")
    reset(store, reference_store.quads())
    yield store
    store.close()


# -- the API on a real uvicorn, over each backend -----------------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_server(sparql_servers: SparqlServers) -> str:
    """A real, empty `oxigraph serve` on loopback (its base URL), for tests of their own."""
    query, _update = sparql_servers.endpoints("oxigraph", "spare")
    return query.removesuffix("/query")


@dataclass
class Api:
    url: str
    backend: str  # the store's kind, as /health reports it: "embedded" or "remote"
    store: Store
    app: object
    tokens: dict[str, str]
    tokens_file: Path
    store_dir: Path | None
    server: str = "embedded"  # which store: embedded, oxigraph or virtuoso

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture(scope="session")
def api(backend: str, tmp_path_factory, sparql_servers: SparqlServers) -> Iterator[Api]:
    """The app under uvicorn on 127.0.0.1, on the embedded store (on disk) or over a SPARQL server it
    builds the bundled data into (its lifespan: an empty store is built)."""
    tmp = tmp_path_factory.mktemp(f"api-{backend}")
    tokens_file = tmp / "tokens.json"
    tf = TokenFile(tokens_file)
    tokens = {r.value: tf.create(r, f"test-{r.value}")[0] for r in Role}
    store_dir = None
    if backend == "embedded":
        store_dir = tmp / "store"
        store: Store = EmbeddedStore(store_dir)
        settings = Settings(store=store_dir, tokens_file=tokens_file, query_timeout=QUERY_TIMEOUT, max_rows=1000)
    else:
        query, update = sparql_servers.endpoints(backend, "api")
        store = RemoteStore(query, update)
        settings = Settings(
            sparql_endpoint=query,
            sparql_update_endpoint=update,
            tokens_file=tokens_file,
            query_timeout=QUERY_TIMEOUT,
            max_rows=1000,
        )
    app = create_app(settings, store)
    with serve(app) as url:
        yield Api(url, store.kind, store, app, tokens, tokens_file, store_dir, backend)
    store.close()


@contextmanager
def serve(app) -> Iterator[str]:
    """Run `app` under uvicorn on a free loopback port, in a thread; yields its base URL once healthy."""
    server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.config.port}"
    try:
        wait_http(url + "/health", 120, thread.is_alive)
        yield url
    finally:
        server.should_exit = True
        thread.join(30)


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


# -- the tree tells the kind of test: tests/unit (no store, no server), tests/integration (real store, real
# SPARQL servers, real HTTP), tests/browser (Chromium); `make check` runs the first, `make test` all three
# On Virtuoso (the third store; CI must stay under 30 minutes): the store contract, the remote backend's own
# tests, --endpoint on the CLI, the gate, the API's main suite, the agreement services and the read model
# (test_serve_workers.py adds `serve --workers 2` over it). A test that copies the bundled data afresh
# (fresh_store) costs 5-10 s there on an idle machine (a minute on a loaded one), so the other service suites
# (reasoning, competence) and the rest of the API suite run on the embedded store and `oxigraph serve` only.
VIRTUOSO_SUITE = {
    "test_store.py", "test_remote_store.py", "test_remote_cli.py",  # the store contract, the server, --endpoint
    "test_gate.py",  # the gate
    "test_api.py",  # the API
    "test_agreements_register.py",  # imports, updates and status changes (two Virtuoso bugs were found there)
    "test_agreements_lifecycle.py",  # transitions, and writes planned while another lands
    "test_readmodel.py",  # the register's read model against the SPARQL answers
}  # fmt: skip


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).resolve().parent
    kept, dropped = [], []
    for item in items:
        kind = Path(item.fspath).resolve().relative_to(here).parts[0]
        if kind in ("unit", "integration", "browser"):
            item.add_marker(kind)
        on = getattr(item, "callspec", None)
        if on is not None and on.params.get("backend") == "virtuoso" and Path(item.fspath).name not in VIRTUOSO_SUITE:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
