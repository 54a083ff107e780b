"""Many API processes: `dci-kg serve --workers N` for N in 1, 2, 4, over the embedded store (N > 1: one owner,
oxigraph serve, under N processes) and over `oxigraph serve` (--endpoint), against `oxigraph serve` itself.

Per configuration, under --concurrency connections for --duration seconds: /health, uncached /competence
(the varied cycle of bench/stores.py: every request is resolved anew), and /sparql with a point lookup
(`instrument-history`) and an aggregate (`status-by-country`), asked with an admin token (every graph, as
on the peer). The peer answers the same query texts on /query over the union default graph. The store of
the --endpoint runs is a copy of store A's directory served by one `oxigraph serve`, which is also the peer.

    python -m bench --only workers --sizes 10000 --duration 5
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from bench.config import ROOT
from bench.processes import free_port, log, stop, tree_hwm_mb, wait_ready
from bench.stores import query_texts, varied_competence

QUERIES = ("instrument-history", "status-by-country")  # a point lookup, an aggregate


def _serve(args: list[str], workers: int, port: int, env: dict) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "cli.main", "serve", *args, "--workers", str(workers), "--port", str(port),
           "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wait_ready(f"http://127.0.0.1:{port}/health", proc, 600)
    return proc


def _measure(base: str, sparql_path: str, headers: dict, texts: dict, varied: list[str], conc: int, dur: float,
             ) -> dict:  # fmt: skip
    import httpx

    from bench import load

    urls = {name: f"{sparql_path}?query={urllib.parse.quote(texts[name])}" for name in QUERIES}
    # warm every process (fresh connections spread them); /agreements waits for the register's read model, which
    # a process builds beside its start: the case files of uncached /competence read it once it is built
    for path in ["/health", "/agreements?limit=1", *varied[:2], *urls.values()]:
        for _ in range(8):
            httpx.get(base + path, headers=headers, timeout=600)
    out = {"health": load.measure(base, ["/health"], concurrency=conc, duration=dur),
           "competence_varied": load.measure(base, varied, concurrency=conc, duration=dur)}  # fmt: skip
    for name, url in urls.items():
        out[name] = load.measure(base, [url], headers, concurrency=conc, duration=dur)
    return out


def bench_workers(n: int, work: Path, items: list, args, env: dict) -> dict:
    from kg.auth.access import Role
    from kg.auth.tokens import TokenFile
    from kg.settings import Settings

    tokens = work / "tokens-workers.json"
    tokens.unlink(missing_ok=True)
    token, _ = TokenFile(tokens).create(Role.admin, "bench-workers")
    env = {**env, "DCIKG_TOKENS_FILE": str(tokens), "DCIKG_SPARQL_PER_CLIENT": "64"}
    ours = {"Accept": "application/sparql-results+json", "Authorization": f"Bearer {token}"}
    texts, varied = query_texts(items), varied_competence(Settings().answer_cache)
    conc, dur = args.concurrency, args.duration
    counts = [2] if args.quick else [1, 2, 4]
    store = work / f"store-{n}"
    out: dict = {"counts": counts, "embedded": {}, "endpoint": {}}
    for workers in counts:
        port = free_port()
        proc = _serve(["--store", str(store)], workers, port, env)
        try:
            r = _measure(f"http://127.0.0.1:{port}", "/sparql", ours, texts, varied, conc, dur)
            r["rss_mb"] = tree_hwm_mb(proc.pid)
        finally:
            stop(proc)
        out["embedded"][str(workers)] = r
        log(f"  workers {workers} embedded: {r}")
    copy = work / f"oxigraph-workers-{n}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    from bench.serving import oxigraph_bin

    ox_port = free_port()
    ox = subprocess.Popen([oxigraph_bin(), "serve", "--location", str(copy), "--bind", f"127.0.0.1:{ox_port}",
                           "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    ox_base = f"http://127.0.0.1:{ox_port}"
    try:
        wait_ready(f"{ox_base}/query?query={urllib.parse.quote('ASK {}')}", ox, 120)
        from bench import load

        peer = {"Accept": "application/sparql-results+json"}
        out["oxigraph serve"] = {name: load.measure(ox_base, [f"/query?query={urllib.parse.quote(texts[name])}"],
                                                    peer, concurrency=conc, duration=dur)
                                 for name in QUERIES}  # fmt: skip
        log(f"  oxigraph serve: {out['oxigraph serve']}")
        for workers in counts:
            port = free_port()
            proc = _serve(["--endpoint", f"{ox_base}/query", "--update-endpoint", f"{ox_base}/update"], workers,
                          port, env)  # fmt: skip
            try:
                r = _measure(f"http://127.0.0.1:{port}", "/sparql", ours, texts, varied, conc, dur)
                r["rss_mb"] = tree_hwm_mb(proc.pid)
            finally:
                stop(proc)
            out["endpoint"][str(workers)] = r
            log(f"  workers {workers} over oxigraph serve: {r}")
    finally:
        stop(ox)
        shutil.rmtree(copy, ignore_errors=True)
    return out


def _cell(m: dict) -> str:
    return f"{m['rps']:,.0f} / {m['p50_ms']:,.1f}" if m.get("p50_ms") is not None else "–"


def _ratio(a: dict, b: dict, key: str) -> str:
    if not a.get(key) or not b.get(key):
        return "–"
    return f"{a[key] / b[key]:.2f}x"


def table(sizes: dict) -> str:
    """Markdown: per size, backend and process count, req/s and p50 of each request, the ratios asked for."""
    head = ("| instruments | store | API processes | /health req/s / p50 ms | uncached /competence | ÷ /health | "
            "point lookup | p50 ÷ oxigraph | req/s ÷ oxigraph | aggregate | p50 ÷ oxigraph | req/s ÷ oxigraph | "
            "peak RSS, MiB |")  # fmt: skip
    lines = [head, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in sizes.items():
        w = r.get("workers")
        if not w:
            continue
        peer = w.get("oxigraph serve", {})
        for label, key in (("embedded", "embedded"), ("`oxigraph serve` (--endpoint)", "endpoint")):
            for count, m in w[key].items():
                point, agg = m[QUERIES[0]], m[QUERIES[1]]
                p_point, p_agg = peer.get(QUERIES[0], {}), peer.get(QUERIES[1], {})
                lines.append(
                    f"| {int(n):,} | {label} | {count} | {_cell(m['health'])} | {_cell(m['competence_varied'])} | "
                    f"{_ratio(m['competence_varied'], m['health'], 'rps')} | {_cell(point)} | "
                    f"{_ratio(point, p_point, 'p50_ms')} | {_ratio(point, p_point, 'rps')} | {_cell(agg)} | "
                    f"{_ratio(agg, p_agg, 'p50_ms')} | {_ratio(agg, p_agg, 'rps')} | {m['rss_mb']:,.0f} |"
                )
        if peer:
            lines.append(f"| {int(n):,} | `oxigraph serve` itself | – | – | – | – | {_cell(peer[QUERIES[0]])} | 1x | "
                         f"1x | {_cell(peer[QUERIES[1]])} | 1x | 1x | – |")  # fmt: skip
    return "\n".join(lines)
