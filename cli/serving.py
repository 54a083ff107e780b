"""`dci-kg serve --workers N` with N > 1: N API processes over one store.

Over a remote store (--endpoint) the processes are stateless: each opens its own RemoteStore, whose generation
lives in the store (graph/meta) and is read per call, so every process sees every write; conditional writes
and the host lock keep concurrent writers correct.

Over the embedded store, one process owns the RocksDB directory (pyoxigraph documents a read-only open beside a
writer as not safe to rely on): `oxigraph serve`, the same engine and on-disk format as pyoxigraph, bound to
loopback on a free port, its query time limit at DCIKG_QUERY_TIMEOUT. The N API processes use it as a remote
store, except /sparql: its confined workers open the directory read-only (DCIKG_OWNED_STORE) and are killed at
the time limit, which `oxigraph serve --timeout-s` does not guarantee (a COUNT over a cross product ran on past
60 s with a 3 s limit). Stopping the command stops the API processes first, then the owner; the directory opens
embedded again.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import httpx
import typer

from cli.common import StoreOpt, err, fail
from kg.settings import Settings
from kg.store import StoreError

FACTORY = "api.app:app_from_env"  # builds each worker's app from the environment set below
OWNER_START_S = 120.0
_PR_SET_PDEATHSIG = 1


def oxigraph_exe() -> str:
    """The `oxigraph` command installed beside this Python (the pip package, same version as pyoxigraph),
    else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("--workers N > 1 on the embedded store needs the `oxigraph` command (pip package oxigraph)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _owner_setup() -> None:
    """In the owner's child process, before exec: its own session (a Ctrl-C in the terminal reaches the API
    workers, which finish first, not the owner), and stopped by the kernel if this command dies."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_process(proc: subprocess.Popen, grace: float = 30) -> None:
    """Stop a child as a user would (SIGTERM), killed if it has not exited within `grace` seconds (the one
    routine of the command, the benchmark and the tests' servers)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextlib.contextmanager
def store_owner(store: Path, timeout_s: float) -> Iterator[str]:
    """`oxigraph serve` over the store directory on a free loopback port, once it answers: its base URL."""
    port = _free_port()
    cmd = [oxigraph_exe(), "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}",
           "--timeout-s", str(max(1, math.ceil(timeout_s)))]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, preexec_fn=_owner_setup)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query?query={quote('ASK {}')}", proc)
        yield base
    finally:
        stop_process(proc)


def _wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + OWNER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(f"the store's owner process (oxigraph serve) stopped at start (exit {proc.returncode})")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.05)
    raise StoreError(f"the store's owner process (oxigraph serve) did not answer within {OWNER_START_S:.0f} s")


def export(overrides: dict) -> None:
    """The command's options as the DCIKG_* variables the worker processes read their Settings from."""
    for name, value in overrides.items():
        key = f"DCIKG_{name.upper()}"
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = str(value).lower() if isinstance(value, bool) else str(value)


def prepare(settings: Settings, log) -> None:
    """Once, before any worker starts: build the bundled data into an empty store and complete what a stopped
    write left pending (N workers starting at once would otherwise each build it)."""
    from kg.services import commits
    from kg.services.build import init
    from kg.store.open import open_configured

    st = open_configured(settings)
    try:
        if not st.graph_names():
            log("empty store: building the bundled data")
            init(st)
        for cut_off in commits.recover(st):
            log(f"recovered: {cut_off.sentence()}")
    finally:
        st.close()


def serve_many(settings: Settings, host: str, port: int, workers: int, log) -> None:
    """Run `workers` API processes over the configured store until SIGINT / SIGTERM."""
    from api.server import run_workers

    prepare(settings, log)
    if settings.sparql_endpoint:
        run_workers(FACTORY, host, port, workers, access_log=settings.access_log)
        return
    with store_owner(settings.store, settings.query_timeout) as base:
        log(f"the store {settings.store} is served to the {workers} workers by oxigraph serve at {base}")
        os.environ["DCIKG_SPARQL_ENDPOINT"] = f"{base}/query"
        os.environ["DCIKG_SPARQL_UPDATE_ENDPOINT"] = f"{base}/update"
        os.environ["DCIKG_OWNED_STORE"] = str(settings.store)  # /sparql: confined read-only workers on it
        run_workers(FACTORY, host, port, workers, access_log=settings.access_log)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on", envvar="DCIKG_HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", envvar="DCIKG_PORT")] = 8000,
    store: StoreOpt = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Remote SPARQL 1.1 endpoint instead of the embedded store")
    ] = None,
    update_endpoint: Annotated[str | None, typer.Option("--update-endpoint", help="Its update endpoint")] = None,
    access_log: Annotated[
        bool | None, typer.Option("--access-log/--no-access-log", help="Log every request [default: DCIKG_ACCESS_LOG]")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            envvar="DCIKG_WORKERS",
            help="API processes. Over --endpoint: N stateless processes. Over the embedded store, N > 1 starts "
            "one owner of the store directory (oxigraph serve on a loopback port) and N processes over it; "
            "stopping the command stops them, then the owner",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (competence, SPARQL endpoint, resource pages) with uvicorn."""
    import uvicorn

    from api.app import create_app
    from api.server import uvicorn_config
    from kg.settings import Settings

    if store is not None and endpoint is not None:
        fail("give --store or --endpoint, not both", 2)
    overrides: dict = {}
    if store is not None:
        overrides["store"] = store
    if endpoint is not None:
        overrides["sparql_endpoint"] = endpoint
        overrides["sparql_update_endpoint"] = update_endpoint
    if access_log is not None:
        overrides["access_log"] = access_log
    try:
        settings = Settings(**overrides)
    except ValueError as exc:
        fail(str(exc), 2)
        raise
    if workers == 1:
        uvicorn.Server(uvicorn_config(create_app(settings), host, port, access_log=settings.access_log)).run()
        return
    export(overrides)  # each worker builds its app from the environment (api.app:app_from_env)
    try:
        serve_many(settings, host, port, workers, lambda msg: err.print(f"[dim]{msg}[/]", highlight=False))
    except StoreError as exc:
        fail(str(exc))
