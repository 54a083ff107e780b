"""The load generator, on its own: both paths (wrk, and the httpx child used where wrk is absent) against a
real HTTP server on loopback, with a list of paths whose JSON spec is over Linux's 128 KiB argument limit."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bench import load


class _Counting(BaseHTTPRequestHandler):
    seen: ClassVar[set[str]] = set()

    def do_GET(self) -> None:
        type(self).seen.add(self.path)
        body = b"ok"
        self.send_response(200 if self.path.startswith("/p/") else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a load generator hangs up mid-request when its time is over


@pytest.fixture
def server() -> Iterator[str]:
    _Counting.seen = set()
    httpd = _Quiet(("127.0.0.1", 0), _Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _many_paths() -> list[str]:
    paths = [f"/p/{i:05d}?q=" + "x" * 120 for i in range(2000)]
    assert len(json.dumps(paths)) > 128 * 1024  # over MAX_ARG_STRLEN: the old command-line spec failed here
    return paths


def test_httpx_fallback_takes_a_spec_over_the_argument_limit(server):
    res = load.run_httpx(server, _many_paths(), {"X-Test": "1"}, concurrency=4, duration=1.0)
    assert res["tool"] == "httpx" and res["requests"] > 0 and res["errors"] == 0
    assert len(_Counting.seen) > 1  # the requests rotate over the paths


def test_httpx_fallback_counts_errors(server):
    res = load.run_httpx(server, ["/missing"], {}, concurrency=2, duration=0.5)
    assert res["requests"] > 0 and res["errors"] == res["requests"]


def test_wrk_path_with_many_paths(server):
    # `make setup-test` installs wrk: its absence is a failure here, not a skip
    assert shutil.which("wrk"), "wrk is not on PATH: scripts/setup-test.sh installs it"
    res = load.run_wrk(server, _many_paths(), {}, concurrency=4, duration=1.0)
    assert res["tool"] == "wrk" and res["requests"] > 0 and res["errors"] == 0
    assert len(_Counting.seen) > 1


def path_without(tool: str, shadow: Path) -> str:
    """PATH with `tool` hidden: each directory that holds it is replaced by a copy made of symlinks to
    everything else in it (python, oxigraph and the rest stay reachable)."""
    dirs = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        here = Path(d)
        if not (here / tool).exists():
            dirs.append(d)
            continue
        copy = shadow / f"{len(dirs)}"
        copy.mkdir(parents=True)
        for entry in here.iterdir():
            if entry.name != tool:
                (copy / entry.name).symlink_to(entry)
        dirs.append(str(copy))
    return os.pathsep.join(dirs)


def test_measure_uses_wrk_when_installed_and_the_httpx_child_when_not(server, tmp_path, monkeypatch):
    """What the benchmark harness calls: the tool is chosen from PATH (wrk hidden = a machine without it)."""
    assert shutil.which("wrk"), "wrk is not on PATH: scripts/setup-test.sh installs it"
    assert load.measure(server, ["/p/a"], concurrency=2, duration=0.5)["tool"] == "wrk"
    monkeypatch.setenv("PATH", path_without("wrk", tmp_path / "bin"))
    assert shutil.which("wrk") is None
    res = load.measure(server, ["/p/a", "/p/b"], {"X-Test": "1"}, concurrency=2, duration=0.5)
    assert res["tool"] == "httpx" and res["requests"] > 0 and res["errors"] == 0
