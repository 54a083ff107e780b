"""`dci-kg serve --workers 2` as a real command (real processes, real HTTP), on the embedded store (one owner
process, oxigraph serve, under two API processes) and over an `oxigraph serve` the test starts: a write through
one worker is seen by both in the register's read model, the tracker, /competence after a legal text's load and
its answer cache and /sparql; every process refuses an oversized request head; on the embedded store a query
past the time limit is stopped in each process; SIGTERM stops every child; the store opens embedded again.

Which worker answered is read from the kernel, not from the app: the process holding the server side of the
test's TCP connection (/proc/net/tcp and /proc/<pid>/fd)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.servers import free_port, start_oxigraph, virtuoso, wait_http
from cli.serving import stop_process
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.services import agreements
from kg.store import EmbeddedStore
from tests.integration.test_law_in_time_loads import QUESTION, SUCCESSOR, TEXT

ROOT = Path(__file__).resolve().parents[2]
COUNTRY, STATUS = "MA", "negotiating"
JSON = "application/sparql-results+json"
# a query whose cost depends on NOW() (tests/integration/test_sparql_security.py): runs past any time limit
ENDLESS = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
           "FILTER(STRLEN(STR(?i)) + STRLEN(STR(?f)) > YEAR(NOW())) }")  # fmt: skip
START_S = 600  # the command builds the bundled data first (over HTTP on oxigraph serve)


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            todo += [k for k in kids if k not in found]
            found.update(kids)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _socket_inode(server_port: int, client_port: int) -> str | None:
    want_local, want_remote = f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if f[1] == want_local and f[2] == want_remote:
            return f[9]
    return None


def answering_pid(conn: http.client.HTTPConnection, port: int, candidates: set[int]) -> int | None:
    """The process that holds the server side of `conn` (it accepted it, so it answers its requests)."""
    inode = _socket_inode(port, conn.sock.getsockname()[1])
    for pid in candidates:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


class Served:
    def __init__(self, proc: subprocess.Popen, port: int, tokens: dict[str, str], store: Path | None) -> None:
        self.proc, self.port, self.tokens, self.store = proc, port, tokens, store

    def each_worker(self, wanted: int = 2, attempts: int = 300) -> Iterator[tuple[int, http.client.HTTPConnection]]:
        """A fresh keep-alive connection to each of `wanted` distinct API processes, one after the other (an idle
        connection is closed by the server after 5 s: each is used as soon as it is found)."""
        kids = descendants(self.proc.pid)
        seen: set[int] = set()
        held: list[http.client.HTTPConnection] = []
        for _ in range(attempts):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            status, _ = request(conn, "GET", "/health")
            assert status == 200
            pid = answering_pid(conn, self.port, kids)
            assert pid is not None, "no child of the command holds the connection"
            if pid in seen:
                held.append(conn)  # kept open while looking: the next accept may go to another worker
                continue
            seen.add(pid)
            try:
                yield pid, conn
            finally:
                conn.close()
                for c in held:
                    c.close()
                held = []
            if len(seen) == wanted:
                return
        raise AssertionError(f"only {len(seen)} worker(s) answered {attempts} connections")

    def write(self, method: str, path: str, body: bytes, media: str, role: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Content-Type": media, "Authorization": f"Bearer {self.tokens[role]}"}
            return request(conn, method, path, body, headers=headers)
        finally:
            conn.close()


def request(conn, method: str, path: str, body: bytes | None = None, *, headers: dict | None = None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read()


def oversized_head(conn: http.client.HTTPConnection) -> int:
    """A request with a 1 MB header on the connection's socket (as bytes: http.client would not send it)."""
    head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a" * 1_000_000 + "\r\n\r\n"
    data = b""
    with contextlib.suppress(OSError):  # refused while it was still being sent: the answer is there to read
        conn.sock.sendall(head.encode("latin-1"))
    while chunk := conn.sock.recv(65536):
        data += chunk
    return int(data.split(b" ", 2)[1])


def serve(tmp_path: Path, *args: str) -> Iterator[Served]:
    tokens_file = tmp_path / "tokens.json"
    tf = TokenFile(tokens_file)
    tokens = {role.value: tf.create(role, f"test-{role.value}")[0] for role in (Role.negotiator, Role.admin)}
    port = free_port()
    env = {**os.environ, "DCIKG_TOKENS_FILE": str(tokens_file), "DCIKG_LOCK_DIR": str(tmp_path / "locks"),
           "DCIKG_QUERY_TIMEOUT": "8", "PYTHONPATH": str(ROOT)}  # fmt: skip
    cmd = [sys.executable, "-m", "cli.main", "serve", "--workers", "2", "--port", str(port), "--no-access-log", *args]
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    store = Path(args[1]) if args[0] == "--store" else None
    try:
        wait_http(f"http://127.0.0.1:{port}/health", START_S, lambda: proc.poll() is None)
        yield Served(proc, port, tokens, store)
    except RuntimeError:
        raise AssertionError(log.read_text()) from None
    finally:
        stop_process(proc, grace=60)  # a failed test: stopped as a user would, then killed (its children follow)


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def served(request, tmp_path: Path) -> Iterator[Served]:
    if request.param == "embedded":
        yield from serve(tmp_path, "--store", str(tmp_path / "store"))
        return
    if request.param == "virtuoso":  # stateless processes over a server whose own graphs sit beside ours
        (tmp_path / "virtuoso").mkdir()
        with virtuoso(tmp_path / "virtuoso", 30) as (query, update):
            yield from serve(tmp_path, "--endpoint", query, "--update-endpoint", update)
        return
    ox_proc, url = start_oxigraph(tmp_path / "oxigraph", 30)
    try:
        yield from serve(tmp_path, "--endpoint", f"{url}/query", "--update-endpoint", f"{url}/update")
    finally:
        ox_proc.terminate()
        ox_proc.wait(30)


def _record(rid: str) -> dict:
    return {
        "id": rid,
        "kind": "technical_arrangement",
        "title": "Arrangement technique de test relatif à la coopération policière",
        "partner_country": COUNTRY,
        "status": STATUS,
        "confidentiality": "public",
        "source": ["https://example.org/test-source"],
    }


def _reads(conn, rid: str) -> dict:
    """What each worker answers about the test's instrument and the question whose answer the load changes."""
    status, body = request(conn, "GET", f"/agreements?country={COUNTRY}&status={STATUS}&limit=500")
    assert status == 200, body
    listed = json.loads(body)
    one, _ = request(conn, "GET", f"/agreements/{rid}")
    page_status, page = request(conn, "GET", f"/tracker?country={COUNTRY}&status={STATUS}&limit=200")
    assert page_status == 200
    answers = []
    for _ in range(2):  # the second one comes from the answer cache
        status, body = request(conn, "GET", "/competence?" + "q=" + _quote(QUESTION) + "&at=2026-01-01")
        assert status == 200, body
        top = json.loads(body)["answers"][0]["mandate"]["legal_text"]
        answers.append([t["iri"] for t in (top.get("superseded_by") or {}).get("then", [])])
    ask = f'ASK {{ ?i <https://w3id.org/dci-kg/ontology#key> "{rid}" }}'
    status, body = request(conn, "GET", "/sparql?query=" + _quote(ask), headers={"Accept": JSON})
    assert status == 200, body
    return {
        "sparql": json.loads(body)["boolean"],
        "total": listed["total"],
        "listed": rid in [i["id"] for i in listed["items"]],
        "one": one,
        "on_tracker": rid.encode() in page,
        "then": answers,
    }


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def test_a_write_through_one_worker_is_seen_by_every_worker(served: Served) -> None:
    rid = f"TEST-WORKERS-{uuid.uuid4().hex[:8]}"
    before = {pid: _reads(conn, rid) for pid, conn in served.each_worker()}
    assert len(before) == 2
    totals = {r["total"] for r in before.values()}
    assert len(totals) == 1
    total = totals.pop()
    for r in before.values():
        assert (r["listed"], r["one"], r["on_tracker"], r["sparql"]) == (False, 404, False, False)
        assert r["then"] == [[], []]  # asked twice: the answer is now cached in both workers

    for _pid, conn in served.each_worker():  # the request-head limit of api/server.py in every process
        assert oversized_head(conn) == 431

    status, body = served.write("POST", "/agreements", json.dumps(_record(rid)).encode(), "application/json",
                                "negotiator")  # fmt: skip
    assert status == 201, body
    status, body = served.write("POST", "/import", SUCCESSOR.encode(), "text/turtle", "admin")
    assert status == 200, body

    after = {pid: _reads(conn, rid) for pid, conn in served.each_worker()}
    assert len(after) == 2
    for r in after.values():
        assert r["total"] == total + 1
        assert (r["listed"], r["one"] == 404, r["on_tracker"], r["sparql"]) == (True, False, True, True)
        assert r["then"] == [[TEXT + "TEST-2024-METADATA"]] * 2

    if served.store is not None:  # the time limit stops the work: the confined worker that ran it is killed
        before_kill = descendants(served.proc.pid)
        for _pid, conn in served.each_worker():
            status, body = request(conn, "GET", "/sparql?query=" + _quote(ENDLESS), headers={"Accept": JSON})
            assert status == 503 and b"time limit" in body, body
            # the process keeps answering (its killed worker's replacement may still be starting on a busy machine)
            quick = [request(conn, "GET", "/sparql?query=" + _quote("ASK {}"), headers={"Accept": JSON})
                     for _ in range(3)]  # fmt: skip
            assert 200 in [q[0] for q in quick], quick
        assert len(before_kill - descendants(served.proc.pid)) >= 2  # one query worker killed in each process

    children = descendants(served.proc.pid)
    assert len(children) >= 3  # two API processes and (embedded) the store's owner, or their SPARQL checkers
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(60) == 0
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in children if _alive(p)] == []

    if served.store is not None:  # the owner is gone: the directory opens embedded, with the write in it
        store = EmbeddedStore(served.store)
        try:
            assert agreements.show(store, rid)["status"] == STATUS
        finally:
            store.close()


def test_serve_help_documents_workers_and_refuses_zero() -> None:
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "cli.main", "serve"]
    helped = subprocess.run([*run, "--help"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert helped.returncode == 0
    assert "--workers" in helped.stdout and "oxigraph serve" in helped.stdout
    zero = subprocess.run([*run, "--workers", "0"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert zero.returncode == 2 and "--workers" in zero.stderr


# -- one Ctrl-C stops everything --------------------------------------------------------------------------
STOP_S = 40  # "stops at all": uvicorn's own supervisor first waited out its 60 s health ping (WORKER_PING_S)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Iterator[dict[str, list[str]]]:
    """A store argument per backend, kept for the module: the first command builds the bundled data into it."""
    base = tmp_path_factory.mktemp("ctrl-c")
    ox_proc, url = start_oxigraph(base / "oxigraph", 30)
    try:
        yield {"embedded": ["--store", str(base / "store")],
               "oxigraph": ["--endpoint", f"{url}/query", "--update-endpoint", f"{url}/update"]}  # fmt: skip
    finally:
        stop_process(ox_proc)


def _bootstrapping_worker(pid: int) -> bool:
    """Whether a worker of the command is still in its spawn bootstrap (re-importing the command), where
    uvicorn has not yet captured its signals nor started the thread that answers the parent's ping."""
    for kid in descendants(pid):
        try:
            cmd = Path(f"/proc/{kid}/cmdline").read_bytes()
            threads = len(list(Path(f"/proc/{kid}/task").iterdir()))
        except OSError:
            continue
        if b"spawn_main" in cmd and threads == 1:
            return True
    return False


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        return request(conn, "GET", "/health")[0] == 200
    except OSError:
        return False
    finally:
        conn.close()


def _group(pgid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("moment", ["worker-bootstrap", "first-health"])
@pytest.mark.parametrize("backend", ["embedded", "oxigraph"])
def test_one_ctrl_c_stops_every_process(tmp_path: Path, stores: dict, backend: str, moment: str) -> None:
    """One SIGINT to the command's process group (a terminal's Ctrl-C) while it starts: while a worker is in its
    spawn bootstrap (seen in CI: the command served on for a minute), or just after the first /health; every
    process it started (API workers, their query workers, the store's owner in its own session) is gone."""
    port = free_port()
    env = {**os.environ, "DCIKG_TOKENS_FILE": str(tmp_path / "tokens.json"), "DCIKG_LOCK_DIR": str(tmp_path / "locks"),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    cmd = [sys.executable, "-m", "cli.main", "serve", "--workers", "2", "--port", str(port), "--no-access-log",
           *stores[backend]]  # fmt: skip
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=log.open("wb"), start_new_session=True)  # fmt: skip
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + START_S
        while not (_bootstrapping_worker(proc.pid) if moment == "worker-bootstrap" else _healthy(port)):
            seen |= descendants(proc.pid)
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        if moment == "worker-bootstrap":
            time.sleep(0.6)  # past the supervisor's 0.5 s loop: it is pinging the worker, which cannot answer yet
        seen |= descendants(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(STOP_S)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"one Ctrl-C did not stop the command within {STOP_S} s\n{log.read_text()}") from None
        stop = time.monotonic() + 10  # the owner is stopped by the command; the kernel reaps the rest
        while (left := [p for p in seen | set(_group(proc.pid)) if _alive(p)]) and time.monotonic() < stop:
            time.sleep(0.1)
        assert left == [], (left, log.read_text())
    finally:  # a failed test leaves nothing behind either
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        for p in [p for p in seen if _alive(p)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
