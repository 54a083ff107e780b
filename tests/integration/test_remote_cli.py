"""The commands that write and check the store work the same on a SPARQL server (--endpoint): init, load,
agreements import and validate, on `oxigraph serve` and on Virtuoso (whose own system graphs are there
from the start, and stay: the project reads and writes only its own graphs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store.remote import RemoteStore
from tests.conftest import SparqlServers
from vocab.namespaces import GRAPH_PREFIX
from vocab.paths import ROOT

DATA = Path(__file__).resolve().parent.parent / "data"
SERVER_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"  # DISTINCT: 5 s on Virtuoso


def run(*args: str, env_store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCIKG_STORE": str(env_store), "COLUMNS": "200"}
    env.pop("DCIKG_SPARQL_ENDPOINT", None)
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def every_graph(store: RemoteStore) -> set[str]:
    """Every graph the server holds, its own included (no dataset: the server's default)."""
    import json

    body = store.post_query(SERVER_GRAPHS, "application/sparql-results+json", [])
    return {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_init_load_import_validate_on_a_sparql_server(
    kind: str, sparql_servers: SparqlServers, tmp_path: Path
) -> None:
    query, update = sparql_servers.endpoints(kind, "cli")
    store = RemoteStore(query, update)
    theirs = {g for g in every_graph(store) if not g.startswith(GRAPH_PREFIX)}
    assert store.graph_names() == []  # the server's own graphs (Virtuoso's) are not the project's: empty
    embedded = tmp_path / "never-created"
    remote = ("--endpoint", query, "--update-endpoint", update)

    init = run("init", *remote, env_store=embedded)
    assert init.returncode == 0, init.stderr
    assert not embedded.exists()  # the embedded store was not built instead
    names = store.graph_names()
    assert len(names) >= 8 and all(str(g).startswith(GRAPH_PREFIX) for g in names)
    built = store.count()

    imported = run("agreements", "import", str(DATA / "register" / "good.csv"), *remote, env_store=embedded)
    assert imported.returncode == 0, imported.stderr
    assert "created" in imported.stdout and store.count() > built

    bad = run("agreements", "import", str(DATA / "register" / "bad.csv"), *remote, env_store=embedded)
    assert bad.returncode != 0
    loaded = run("load", str(DATA / "register" / "questions.ttl"), *remote, env_store=embedded)
    assert loaded.returncode == 0, loaded.stderr

    checked = run("validate", "--endpoint", query, env_store=embedded)
    assert checked.returncode == 0, checked.stderr
    assert "conforms" in checked.stdout
    assert {g for g in every_graph(store) if not g.startswith(GRAPH_PREFIX)} == theirs  # theirs untouched

    both = run("init", "--store", str(embedded), "--endpoint", query, env_store=embedded)
    assert both.returncode == 2 and "not both" in both.stderr
    store.close()
