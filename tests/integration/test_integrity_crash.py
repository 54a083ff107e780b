"""A server killed (SIGKILL) in the middle of a large import leaves no stale inference behind: after a
restart the inferred graphs are what a full derivation gives, the register holds all of the import or
none of it, and the next import of the same file says the earlier one was cut off (never just
"unchanged"). The kill lands between the data's commit and its derivation: the server runs with the
fault-injection point of kg.services.commits (it holds the import there), the test waits for the import's
pending-derivation record (graph/meta) to appear in the store and kills the server."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from rdflib import Literal

from bench import synthetic
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.reasoning import materialise
from kg.services import commits
from kg.services.agreements import lifecycle
from kg.store import EmbeddedStore, Store
from kg.store.remote import RemoteStore
from tests.processes import Process, dcikg_serve, oxigraph
from vocab.namespaces import DCI, INFERRED_GRAPHS, META_GRAPH

# synthetic instruments (test data only): imports whose derivation takes seconds; smaller over HTTP to the
# remote store, whose import reads each existing instrument with a query of its own
SIZES = {"embedded": 1500, "remote": 500}


def _register(built_store, directory: Path, size: int) -> Path:
    items = synthetic.generate(size, lifecycle.load(built_store), synthetic.topic_codes(built_store), seed=7)
    path = directory / "big-register.csv"
    synthetic.write_csv(items, path)
    return path


def _pending(store: Store) -> bool:
    return any(q[1] == DCI.pendingNode or q[1] == DCI.pendingAll for q in store.quads(META_GRAPH))


def _inferred(store: Store) -> set:
    return {q for g in INFERRED_GRAPHS for q in store.quads(g)}


def _kill_when(proc: Process, seen: Callable[[], bool], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not seen():
        assert proc.proc.poll() is None, f"the server stopped by itself:\n{proc.log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"the pending record never appeared:\n{proc.log.read_text()[-2000:]}"
        time.sleep(0.1)
    proc.kill()


def _post_import(url: str, token: str, path: Path) -> threading.Thread:
    def go() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server is killed under it: the client never hears back
            httpx.post(
                f"{url}/import",
                content=path.read_bytes(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
                timeout=600,
            )

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread


def _embedded_seen(path: Path) -> Callable[[], bool]:
    def seen() -> bool:
        try:
            return _pending(EmbeddedStore(path, read_only=True))  # a snapshot beside the running writer
        except Exception:
            return False

    return seen


def _check_after_restart(store: Store, size: int) -> None:
    assert not _pending(store), "the restart left a derivation pending"
    inferred = _inferred(store)
    materialise(store)  # a full derivation: writes only what differs
    assert _inferred(store) == inferred, "the inferred graphs differ from a full derivation"
    held = store.select(f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a {DCI.Instrument.n3()} }}")
    assert int(held[0]["n"]) > size  # the imported instruments are dci:Instrument for SPARQL users (inferred)


@pytest.mark.parametrize("kind", ["embedded", "remote"])
def test_sigkill_mid_import_then_restart(kind, reference_store, tmp_path):
    size = SIZES[kind]
    register = _register(reference_store, tmp_path, size)
    token = TokenFile(tmp_path / "tokens.json").create(Role.negotiator, "negotiator")[0]
    env = {"DCIKG_TOKENS_FILE": str(tmp_path / "tokens.json"), "DCIKG_MAX_IMPORT_BYTES": str(50_000_000)}
    server_store: Process | None = None
    if kind == "embedded":
        args = ["--store", str(tmp_path / "store")]
        seen = _embedded_seen(tmp_path / "store")
    else:
        server_store = oxigraph(tmp_path / "oxigraph", timeout_s=120)  # the register's reads grow with it
        remote = RemoteStore(f"{server_store.url}/query", f"{server_store.url}/update")
        args = ["--endpoint", f"{server_store.url}/query", "--update-endpoint", f"{server_store.url}/update"]

        def seen() -> bool:
            return _pending(remote)

    try:
        api = dcikg_serve(args, {**env, commits.HOLD_ENV: "upload.csv"}, tmp_path / "api.log")
        _post_import(api.url, token, register)
        _kill_when(api, seen)
        again = dcikg_serve(args, env, tmp_path / "api.log")  # recovers before it answers
        assert "cut off before its inferences were drawn" in (tmp_path / "api.log").read_text()
        answer = httpx.post(
            f"{again.url}/import",
            content=register.read_bytes(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
            timeout=600,
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()["report"]
        assert [c["source"] for c in report["interrupted"]] == ["upload.csv"]  # said, not just "unchanged"
        assert len(report["unchanged"]) == size  # the data had landed whole before the kill
        again.stop()
        store: Store = EmbeddedStore(tmp_path / "store") if kind == "embedded" else remote
        _check_after_restart(store, size)
        store.close()
    finally:
        if server_store is not None:
            server_store.stop()


def test_a_pending_record_of_a_live_writer_is_left_to_it(fresh_store):
    """recover() completes only what stopped processes left: a write still at work is its own."""
    commits_record = commits._record([], "in-flight", "test")  # as a running write leaves it
    fresh_store.apply(commits_record)
    assert commits.recover(fresh_store) == []
    assert any(q[1] == DCI.writer for q in fresh_store.quads(META_GRAPH))  # still there, for its writer
    gone = Literal(f"{socket.gethostname()}/999999999/1")  # a process of this host that no longer runs
    dead = [(s, p, gone if p == DCI.writer else o, g) for s, p, o, g in commits_record]
    fresh_store.apply(dead, commits_record)  # the same record, left by a process that no longer runs
    assert [i.source for i in commits.recover(fresh_store)] == ["in-flight"]
    assert not any(q[1] == DCI.writer for q in fresh_store.quads(META_GRAPH))
