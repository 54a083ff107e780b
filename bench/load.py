"""Bounded HTTP load from a second process: `wrk` when it is on PATH (`make setup-test` installs Debian's
`wrk`), else an asyncio + httpx generator in a child process. Either way: N connections, a fixed duration, requests
rotating over a list of paths; the answer is requests/s, p50/p99 latency in ms, and the error count.

    python -m bench.load http://127.0.0.1:8000 /health --concurrency 16 --duration 5
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _lua(paths: list[str], headers: dict[str, str], threads: int) -> str:
    # each wrk thread cycles through the paths from its own offset (a share of the cycle apart), so that two
    # threads do not ask the same path back to back (a cache would answer the second)
    quoted = ", ".join(json.dumps(p) for p in paths)
    head = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
    return f"""{head}
local paths = {{ {quoted} }}
local started = 0
setup = function(thread)
  thread:set("offset", started)
  started = started + 1
end
local i = 0
request = function()
  i = i + 1
  local start = math.floor((offset or 0) * #paths / {threads})
  return wrk.format("GET", paths[((i + start) % #paths) + 1])
end
"""


def run_wrk(base: str, paths: list[str], headers: dict[str, str], concurrency: int, duration: float) -> dict:
    threads = min(2, concurrency)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_lua(paths, headers, threads))
        script = fh.name
    try:
        cmd = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--latency",
               "--timeout", "60s", "-s", script, base]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        Path(script).unlink(missing_ok=True)
    dist = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", out, re.MULTILINE))  # wrk pads with a space
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    p50, p99 = (round(_ms(dist[k]), 2) if k in dist and total else None for k in ("50", "99"))  # none finished
    return {"tool": "wrk", "rps": round(rps, 1), "p50_ms": p50, "p99_ms": p99, "requests": total,
            "errors": errors}  # fmt: skip


async def _httpx_load(base: str, paths: list[str], headers: dict[str, str], concurrency: int, duration: float) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    stop = 0.0
    counter = iter(range(10**12))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:  # one request at least, then until the time is over (a loaded machine starts late)
            path = paths[next(counter) % len(paths)]
            t = time.perf_counter()
            try:
                r = await client.get(path)
                if r.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            lat.append(time.perf_counter() - t)
            if time.perf_counter() >= stop:
                return

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        t0 = time.perf_counter()
        stop = t0 + duration  # the clock starts once the client is ready, not when the child was spawned
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    ms = sorted(x * 1000 for x in lat)
    return {"tool": "httpx", "rps": round(len(ms) / elapsed, 1), "p50_ms": round(statistics.median(ms), 2),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2), "requests": len(ms),
            "errors": errors}  # fmt: skip


def measure(base: str, paths: list[str], headers: dict[str, str] | None = None, *, concurrency: int = 16,
            duration: float = 5.0) -> dict:  # fmt: skip
    """Load `base` + `paths` (rotating) from another process; wrk if installed, else httpx in a child."""
    headers = headers or {}
    if shutil.which("wrk"):
        return run_wrk(base, paths, headers, concurrency, duration)
    return run_httpx(base, paths, headers, concurrency, duration)


def run_httpx(base: str, paths: list[str], headers: dict[str, str], concurrency: int, duration: float) -> dict:
    """The fallback: httpx in a child process. The spec goes through stdin, never the command line: a few
    thousand paths exceed Linux's 128 KiB limit on one argument (E2BIG)."""
    spec = json.dumps({"base": base, "paths": paths, "headers": headers, "concurrency": concurrency,
                       "duration": duration})  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "bench.load", "--spec-stdin"], input=spec, capture_output=True,
                          text=True)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the httpx load generator failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--spec-stdin"]:
        s = json.loads(sys.stdin.read())
        print(json.dumps(asyncio.run(_httpx_load(s["base"], s["paths"], s["headers"], s["concurrency"],
                                                 s["duration"]))))  # fmt: skip
        return
    base, *rest = argv
    paths = [a for i, a in enumerate(rest) if a.startswith("/") and (i == 0 or not rest[i - 1].startswith("--"))]
    conc = int(rest[rest.index("--concurrency") + 1]) if "--concurrency" in rest else 16
    dur = float(rest[rest.index("--duration") + 1]) if "--duration" in rest else 5.0
    print(json.dumps(measure(base, paths or ["/"], concurrency=conc, duration=dur)))


if __name__ == "__main__":
    main(sys.argv[1:])
