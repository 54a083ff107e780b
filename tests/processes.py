"""Real server processes for the integrity tests: `oxigraph serve` and `dci-kg serve`, each its own process
(so that two API servers share nothing but the store), stopped or killed by the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.servers import free_port, start_oxigraph, wait_http
from tests.conftest import QUERY_TIMEOUT

BIN = Path(sys.executable).parent


@dataclass
class Process:
    proc: subprocess.Popen
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, as in a crash."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def oxigraph(data: Path, timeout_s: float = QUERY_TIMEOUT) -> Process:
    log = data.with_suffix(".log")
    proc, url = start_oxigraph(data, timeout_s, log)
    return Process(proc, url, log)


def dcikg_serve(args: list[str], env: dict[str, str], log: Path, ready: bool = True) -> Process:
    """`dci-kg serve ARGS` on a free loopback port; with `ready`, once /health answers."""
    port = free_port()
    full = {**os.environ, "DCIKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT), "DCIKG_SPARQL_WORKERS": "1", **env}
    proc = subprocess.Popen(
        [str(BIN / "dci-kg"), "serve", "--port", str(port), *args],
        env=full,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    if ready:
        try:
            wait_http(url + "/health", 240, lambda: proc.poll() is None)
        except RuntimeError:
            proc.kill()
            raise RuntimeError(f"dci-kg serve did not start:\n{log.read_text()[-3000:]}") from None
    return Process(proc, url, log)
