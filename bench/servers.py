"""The SPARQL servers the integration suite runs on and the benchmarks compare with, started on loopback and
stopped by their caller: `oxigraph serve` (the `oxigraph` package) and Virtuoso Open Source 7.2 (Debian's
`virtuoso-opensource`, installed by scripts/setup-test.sh), each on a temporary directory."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from cli.serving import stop_process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float = 60, alive: Callable[[], bool] = lambda: True) -> None:
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


def start_oxigraph(data: Path, timeout_s: float, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` on `data`, on a free loopback port, once it answers: the process and its base URL."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}", "--timeout-s", str(int(timeout_s))],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/query?query=ASK%7B%7D", 60, lambda: proc.poll() is None)
    except RuntimeError:
        stop_process(proc)
        raise
    return proc, url


@contextmanager
def oxigraph(data: Path, timeout_s: int) -> Iterator[tuple[str, str]]:
    """`oxigraph serve` on `data`: yields its (query, update) endpoints."""
    proc, url = start_oxigraph(data, timeout_s)
    try:
        yield f"{url}/query", f"{url}/update"
    finally:
        stop_process(proc)


# What the tests' Virtuoso needs beyond its defaults (README, "Deployment on a SPARQL server"):
# ResultSetMaxRows above any graph the backend reads whole (the default, 10,000, truncates answers without an
# error), no cost-estimate refusal, loopback only, a small buffer pool (the machine is shared), and
# DefaultIsolation = 8 (serializable): with the default (2, read committed) two concurrent guarded updates of
# one version triple both passed their WHERE in 1 round of 10 (16 writers); with 8, exactly one in every round.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
ThreadsPerQuery = 2
DefaultIsolation = 8
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/vsp
MaxClientConnections = 20
ServerThreads = 20
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {timeout}
DefaultQuery = ASK {{}}
"""


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


@contextmanager
def virtuoso(data: Path, timeout_s: int, nquads: Path | None = None) -> Iterator[tuple[str, str]]:
    """Virtuoso on a new database in `data`, SPARQL Update granted to its anonymous SPARQL user (loopback
    only), loaded with the N-Quads file `nquads` if given (its bulk loader): yields its /sparql endpoint twice
    (query and update share it)."""
    if not virtuoso_available():
        raise RuntimeError("Virtuoso is not installed: run scripts/setup-test.sh (Debian's virtuoso-opensource)")
    sql, http = free_port(), free_port()
    (data / "vsp").mkdir(parents=True, exist_ok=True)
    ini = data / "virtuoso.ini"
    # the query time limit of /sparql is the client's (dci-kg stops waiting); Virtuoso's own applies to updates
    # too, and a 14,000-triple build on a loaded machine ran past 5 s ("SR171: Transaction timed out")
    ini.write_text(VIRTUOSO_INI.format(d=data, sql=sql, http=http, timeout=max(timeout_s, 300)))
    log = (data / "stdout.log").open("wb")
    proc = subprocess.Popen(
        ["virtuoso-t", "+configfile", str(ini), "+foreground"], cwd=data, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        wait_http(url + "?query=ASK%7B%7D", 180, alive=lambda: proc.poll() is None)
        # a new database's dba password is "dba"; the server listens on loopback only
        grant = subprocess.run(
            ["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if grant.returncode != 0 or "Error" in grant.stdout + grant.stderr:
            raise RuntimeError(f"could not grant SPARQL_UPDATE: {grant.stdout}{grant.stderr}")
        if nquads is not None:
            _bulk_load(sql, data, nquads)
        yield url, url
    finally:
        stop_process(proc)
        log.close()


def _bulk_load(sql: int, data: Path, nquads: Path) -> None:
    """Virtuoso's bulk loader reads only the directories its ini allows (DirsAllowed: its working directory,
    `data`): the file is linked (or copied) there; each quad goes to the graph it names."""
    here = data / "load" / nquads.name
    here.parent.mkdir(exist_ok=True)
    try:
        here.hardlink_to(nquads)
    except OSError:
        shutil.copyfile(nquads, here)
    script = f"ld_dir('load', '{here.name}', 'urn:dci-kg:bench:default'); rdf_loader_run(); checkpoint;"
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", f"exec={script}"], capture_output=True, text=True, timeout=7200
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise RuntimeError(f"Virtuoso's bulk load of {nquads.name} failed: {done.stdout}{done.stderr}")


SERVERS = {"oxigraph": oxigraph, "virtuoso": virtuoso}
