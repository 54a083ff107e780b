"""Shared fixtures: a real embedded store built from the bundled data (in memory)."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.server import uvicorn_config
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.services.build import init
from kg.settings import Settings
from kg.store import EmbeddedStore, Store


@pytest.fixture(scope="session")
def built_store() -> EmbeddedStore:
    """The bundled knowledge base, built once through the gate; tests must not write to it."""
    store = EmbeddedStore(None)
    init(store)
    return store


@pytest.fixture
def fresh_store(built_store: EmbeddedStore) -> EmbeddedStore:
    """A private copy of the bundled knowledge base, for tests that write."""
    store = EmbeddedStore(None)
    store.bulk_add(built_store.quads())
    return store


# -- the API on a real uvicorn, over both backends ----------------------------------------------------


QUERY_TIMEOUT = 5.0  # generous: a loaded machine must not turn a quick query into a timeout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60, alive=lambda: True) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if not alive():
            raise RuntimeError(f"the server behind {url} stopped while starting")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[str]:
    """A real `oxigraph serve` on loopback (the `oxigraph` package of the test extra)."""
    import shutil
    import sys

    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}", "--timeout-s", str(int(QUERY_TIMEOUT))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/query?query=ASK%7B%7D")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@dataclass
class Api:
    url: str
    backend: str
    store: Store
    app: object
    tokens: dict[str, str]
    tokens_file: Path
    store_dir: Path | None

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def api(request, tmp_path_factory) -> Iterator[Api]:
    """The app under uvicorn on 127.0.0.1, on the embedded store (on disk) or over `oxigraph serve`."""
    from kg.store.remote import RemoteStore

    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    tokens_file = tmp / "tokens.json"
    tf = TokenFile(tokens_file)
    tokens = {r.value: tf.create(r, f"test-{r.value}")[0] for r in Role}
    store_dir = None
    if request.param == "embedded":
        store_dir = tmp / "store"
        store: Store = EmbeddedStore(store_dir)
        settings = Settings(store=store_dir, tokens_file=tokens_file, query_timeout=QUERY_TIMEOUT, max_rows=1000)
    else:
        endpoint = request.getfixturevalue("oxigraph_server")
        store = RemoteStore(f"{endpoint}/query", f"{endpoint}/update")
        settings = Settings(
            sparql_endpoint=f"{endpoint}/query",
            sparql_update_endpoint=f"{endpoint}/update",
            tokens_file=tokens_file,
            query_timeout=QUERY_TIMEOUT,
            max_rows=1000,
        )
    app = create_app(settings, store)
    with serve(app) as url:
        yield Api(url, request.param, store, app, tokens, tokens_file, store_dir)
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
def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        kind = Path(item.fspath).resolve().relative_to(here).parts[0]
        if kind in ("unit", "integration", "browser"):
            item.add_marker(kind)
