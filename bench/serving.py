"""The HTTP benchmarks: dci-kg serve, oxigraph serve, Virtuoso and rdflib-endpoint under the same load."""

from __future__ import annotations

import contextlib
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx

from bench import servers
from bench.config import QUESTIONS, ROOT
from bench.processes import free_port, log, stats, stop, tree_hwm_mb, wait_ready
from bench.stores import query_texts, varied_competence


# -- servers ----------------------------------------------------------------------------------------------
def start_ours(store: Path, port: int, env: dict) -> tuple[subprocess.Popen, float]:
    cmd = [sys.executable, "-m", "cli.main", "serve", "--store", str(store), "--port", str(port), "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return proc, wait_ready(f"http://127.0.0.1:{port}/health", proc, 300)


def oxigraph_bin() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise RuntimeError("`oxigraph` not found: pip install -e '.[test]' (the oxigraph package)")
    return found


def rows_of(r: httpx.Response) -> int | str:
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    body = r.json()
    return len(body["results"]["bindings"]) if "results" in body else 1


def bench_sparql(targets: dict[str, tuple[str, str, dict]], texts: dict[str, str], conc: int, dur: float,
                 skip_slow: set[str]) -> dict:  # fmt: skip
    from bench import load

    out: dict = {}
    for name, text in texts.items():
        out[name] = {}
        for peer, (base, path, headers) in targets.items():
            url = f"{path}?query={urllib.parse.quote(text)}"
            try:
                t = time.perf_counter()
                r = httpx.get(base + url, headers=headers, timeout=600)
                first = time.perf_counter() - t
                res = {"rows": rows_of(r)}
                if first > dur / 4 or (peer, name) in skip_slow:
                    # too slow to load for `dur` seconds (nothing would finish, and the backlog would run on
                    # into the next measurement): 3 sequential requests on one connection instead
                    seq = [first]
                    for _ in range(2):
                        t = time.perf_counter()
                        httpx.get(base + url, headers=headers, timeout=600)
                        seq.append(time.perf_counter() - t)
                    med = statistics.median(seq)
                    res.update({"tool": "sequential", "rps": round(1 / med, 2), "p50_ms": round(med * 1000, 1),
                                "p99_ms": round(max(seq) * 1000, 1), "requests": 3, "errors": 0})  # fmt: skip
                else:
                    res.update(load.measure(base, [url], headers, concurrency=conc, duration=dur))
                    httpx.get(base + url, headers=headers, timeout=600)  # drain: the backlog ends before the next
            except (httpx.HTTPError, subprocess.CalledProcessError) as exc:
                res = {"error": str(exc)[:200]}
            out[name][peer] = res
            log(f"  sparql {name} {peer}: {res}")
    return out


def bench_http(n: int, work: Path, items: list, args, env: dict) -> dict:
    from bench import load
    from kg.auth.access import Role
    from kg.auth.tokens import TokenFile

    out: dict = {}
    tokens = work / "tokens.json"
    tokens.unlink(missing_ok=True)
    token, _ = TokenFile(tokens).create(Role.admin, "bench")
    # the load comes from one address: lift the per-client share of /sparql (1 by default), or 15 of the 16
    # connections would measure 429s; the peers have no such limit either
    env = {**env, "DCIKG_TOKENS_FILE": str(tokens), "DCIKG_SPARQL_PER_CLIENT": "64"}
    store = work / f"store-{n}"
    starts = []
    for _ in range(args.cold_starts):
        proc, s = start_ours(store, free_port(), env)
        starts.append(s)
        stop(proc)
    out["cold_start_s"] = stats(starts)
    port = free_port()
    proc, _s = start_ours(store, port, env)
    base = f"http://127.0.0.1:{port}"
    conc, dur = args.concurrency, args.duration
    try:
        httpx.get(base + "/agreements?limit=1", timeout=600)  # waits for the read model (built beside the start)
        out["health"] = load.measure(base, ["/health"], concurrency=conc, duration=dur)
        comp = [f"/competence?q={urllib.parse.quote(q)}&at=2024-01-01" for q in QUESTIONS]
        out["competence"] = load.measure(base, comp, concurrency=conc, duration=dur)
        from kg.settings import Settings

        varied = varied_competence(Settings().answer_cache)
        out["competence_varied"] = {**load.measure(base, varied, concurrency=conc, duration=dur), "paths": len(varied)}
        out["health_after"] = load.measure(base, ["/health"], concurrency=conc, duration=dur)
        # latency without queueing: under 16 connections p50 is bounded below by 16 / throughput
        out["competence_c1"] = load.measure(base, comp, concurrency=1, duration=dur)
        out["competence_varied_c1"] = load.measure(base, varied, concurrency=1, duration=dur)
        log(f"  health {out['health']} competence {out['competence']}")
        targets = {"dci-kg": (base, "/sparql", {"Accept": "application/sparql-results+json",
                                                "Authorization": f"Bearer {token}"})}  # fmt: skip
        peers: list[subprocess.Popen] = []
        # oxigraph serve: its own on-disk store, loaded from the same N-Quads
        ox_dir = work / f"oxigraph-{n}"
        shutil.rmtree(ox_dir, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([oxigraph_bin(), "load", "--location", str(ox_dir), "--file", str(work / f"data-{n}.nq")],
                       check=True, capture_output=True)  # fmt: skip
        out["oxigraph_load_s"] = round(time.perf_counter() - t, 2)
        ox_port = free_port()
        ox_proc = subprocess.Popen([oxigraph_bin(), "serve", "--location", str(ox_dir), "--bind",
                                    f"127.0.0.1:{ox_port}", "--union-default-graph"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        peers.append(ox_proc)
        ask = urllib.parse.quote("ASK { ?s ?p ?o }")
        wait_ready(f"http://127.0.0.1:{ox_port}/query?query={ask}", ox_proc, 120)
        targets["oxigraph serve"] = (f"http://127.0.0.1:{ox_port}", "/query",
                                     {"Accept": "application/sparql-results+json"})  # fmt: skip
        rdf_proc = None
        if n <= args.rdflib_max:
            rdf_port = free_port()
            t = time.perf_counter()
            rdf_proc = subprocess.Popen([sys.executable, "-m", "bench.rdflib_peer", str(work / f"data-{n}.nq"),
                                         str(rdf_port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)  # fmt: skip
            peers.append(rdf_proc)
            wait_ready(f"http://127.0.0.1:{rdf_port}/sparql?query={ask}", rdf_proc, 1200)
            out["rdflib_load_s"] = round(time.perf_counter() - t, 2)
            targets["rdflib-endpoint"] = (f"http://127.0.0.1:{rdf_port}", "/sparql",
                                          {"Accept": "application/sparql-results+json"})  # fmt: skip
        vt_dir = work / f"virtuoso-{n}"
        try:
            with contextlib.ExitStack() as stack:
                if servers.virtuoso_available():  # Debian's virtuoso-opensource (scripts/setup-test.sh)
                    shutil.rmtree(vt_dir, ignore_errors=True)
                    vt_dir.mkdir()
                    t = time.perf_counter()
                    url, _ = stack.enter_context(servers.virtuoso(vt_dir, 600, work / f"data-{n}.nq"))
                    out["virtuoso_load_s"] = round(time.perf_counter() - t, 2)
                    base_v, path_v = url.rsplit("/", 1)
                    targets["virtuoso"] = (base_v, f"/{path_v}", {"Accept": "application/sparql-results+json"})
                else:
                    log("  virtuoso: not installed (scripts/setup-test.sh installs it): not run")
                out["sparql"] = bench_sparql(targets, query_texts(items), conc, dur, set())
            out["rss_mb"] = {"dci-kg": tree_hwm_mb(proc.pid), "oxigraph serve": tree_hwm_mb(ox_proc.pid)}
            if rdf_proc is not None:
                out["rss_mb"]["rdflib-endpoint"] = tree_hwm_mb(rdf_proc.pid)
        finally:
            for p in peers:
                stop(p)
            shutil.rmtree(ox_dir, ignore_errors=True)
            shutil.rmtree(vt_dir, ignore_errors=True)
    finally:
        stop(proc)
    return out
