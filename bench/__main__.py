"""The benchmark harness: one command builds the stores, runs every benchmark, rewrites BENCHMARKS.md.

    python -m bench                               # 1k, 10k, 100k instruments (long: the 100k store alone ~2 min)
    python -m bench --sizes 1000 --quick          # smoke run: seconds per size, no BENCHMARKS.md rewrite
    python -m bench --sizes 1000,10000 --duration 5 --workdir /tmp/dcikg-bench

Per size N (the bundled knowledge base plus N synthetic instruments from bench/synthetic.py):
  1. stores **on disk** (RocksDB) in --workdir: A = init + the generated RDF with full histories (bulk load);
     B = init + the register CSV imported through the real path (`load_files`: rows checked, SHACL gate,
     commit, inference) — "register import";
  2. `dci-kg serve` on A as a subprocess: cold start (process start -> first /health 200), then from a second
     process (wrk, else httpx; 16 connections, fixed duration) /health, /competence, and the negotiator
     queries through /sparql (admin token, so every graph is read like on the peers);
  3. the same queries against `oxigraph serve` (store on disk, union default graph, loaded from the same
     N-Quads) and rdflib-endpoint (the same N-Quads in an rdflib Dataset, in memory: it has no disk store);
  4. peak RSS of each server (VmHWM of the process tree);
  5. servers stopped: the write gate per change (bench/gate_bench.py, both engines) and whole-graph
     validation (kg.gate.validation.validate_store, pyshacl-turbo) on A.
Results go to bench/output/results.json and, unless --quick or --no-write, between the bench markers of
BENCHMARKS.md. No assertion on time anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = Path(__file__).resolve().parent / "output"
PLOT = OUTPUT / "growth.svg"
QUESTIONS = [
    "Qui négocie les arrangements techniques pour la gendarmerie ?",
    "Who handles police cooperation with Morocco?",
    "coopération en matière de sécurité civile",
    "qui suit les attachés de sécurité intérieure",
]
NEGOTIATOR = ["counts-by-status-kind", "status-by-country", "pending-approval", "signed-not-in-force",
              "term-ending", "covered-without-agreement", "arrangements-under", "instrument-history"]  # fmt: skip
LABELLED = [ROOT / "tests" / "data" / f for f in ("competence_questions.yaml", "competence_questions_holdout.yaml")]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_hwm_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its descendants, in MiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return round(total / 1024, 1)


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}) before answering {url}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return time.perf_counter() - t0
        time.sleep(0.02)
    raise RuntimeError(f"no 200 from {url} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def stats(xs: list[float]) -> dict:
    return {"median": round(statistics.median(xs), 3), "min": round(min(xs), 3), "max": round(max(xs), 3), "n": len(xs)}


# -- building the stores ----------------------------------------------------------------------------------
def build_stores(n: int, work: Path, template: list, topics: list[str], lc) -> tuple[dict, list]:
    import pyoxigraph as ox

    from bench import synthetic
    from kg.services.build import load_files
    from kg.store import EmbeddedStore

    out: dict = {"instruments": n}
    t = time.perf_counter()
    items = synthetic.generate(n, lc, topics)
    csv = work / f"register-{n}.csv"
    synthetic.write_csv(items, csv)
    out["generate_s"] = round(time.perf_counter() - t, 2)

    a_path = work / f"store-{n}"
    shutil.rmtree(a_path, ignore_errors=True)
    a = EmbeddedStore(a_path)
    a.bulk_write(template)
    t = time.perf_counter()
    quads = synthetic.to_quads(a, items)
    a.bulk_add(quads)
    a.flush()
    out["bulk_load_s"] = round(time.perf_counter() - t, 2)
    out["triples"] = a.count()
    nq = work / f"data-{n}.nq"
    nq.write_bytes(a.dump(ox.RdfFormat.N_QUADS))
    del a, quads
    gc.collect()  # releases the RocksDB lock: the server opens A next

    b_path = work / f"import-{n}"
    shutil.rmtree(b_path, ignore_errors=True)
    b = EmbeddedStore(b_path)
    b.bulk_write(template)
    t = time.perf_counter()
    load_files(b, [csv])
    b.flush()
    out["register_import_s"] = round(time.perf_counter() - t, 2)
    out["import_triples"] = b.count()
    del b
    gc.collect()
    shutil.rmtree(b_path, ignore_errors=True)
    return out, items


def varied_competence(cache_size: int) -> list[str]:
    """/competence paths that miss the answer cache: the labelled questions, each on enough distinct days that
    there are more question-day pairs than the cache holds; asked in a fixed cycle, least recently used first
    out, every request is computed anew."""
    import yaml

    questions = [e["q"] for f in LABELLED for e in yaml.safe_load(f.read_text(encoding="utf-8"))]
    days = cache_size // len(questions) + 2
    start = dt.date(2014, 1, 1)
    return [f"/competence?q={urllib.parse.quote(q)}&at={start + dt.timedelta(days=d)}"
            for d in range(days) for q in questions]  # fmt: skip


def query_texts(items: list) -> dict[str, str]:
    """The negotiator queries with their parameters bound (VALUES), the same text for every server."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg import queries

    today = Literal("2025-06-01", datatype=XSD.date)
    with_history = max(items[: len(items) // 2 + 1], key=lambda it: len(it.events))
    parent = next((it.row["parent_id"] for it in items if it.row["parent_id"]), items[0].row["id"])
    country = items[0].row["partner_country"]
    bound = {
        "signed-not-in-force": {"cutoff": Literal("2015-06-01", datatype=XSD.date), "today": today},
        "term-ending": {"today": today, "months": Literal(6)},
        "covered-without-agreement": {"today": today},
        "arrangements-under": {"parentId": Literal(parent)},
        "instrument-history": {"id": Literal(with_history.row["id"])},
    }
    out = {}
    for name in NEGOTIATOR:
        q = queries.load(name)
        text = q.inline(**bound.get(name, {}))
        if name == "status-by-country":  # the whole register is one 100k-row answer: ask for one country
            text = queries.bind(text, {"country": Literal(country)})
        out[name] = text
    return out


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
        try:
            out["sparql"] = bench_sparql(targets, query_texts(items), conc, dur, set())
            out["rss_mb"] = {"dci-kg": tree_hwm_mb(proc.pid), "oxigraph serve": tree_hwm_mb(ox_proc.pid)}
            if rdf_proc is not None:
                out["rss_mb"]["rdflib-endpoint"] = tree_hwm_mb(rdf_proc.pid)
        finally:
            for p in peers:
                stop(p)
            shutil.rmtree(ox_dir, ignore_errors=True)
    finally:
        stop(proc)
    return out


# -- in-process: gate and whole-graph validation -----------------------------------------------------------
def bench_offline(n: int, work: Path, items: list, changes: int) -> dict:
    from bench import gate_bench
    from kg.gate.validation import validate_store
    from kg.settings import get_settings
    from kg.store import EmbeddedStore

    out: dict = {}
    store = EmbeddedStore(work / f"store-{n}")
    try:
        t = time.perf_counter()
        violations, _triples = validate_store(store, "turbo")
        out["validate_turbo_s"] = round(time.perf_counter() - t, 2)
        out["validate_violations"] = len(violations)
        log(f"  whole-graph validation (turbo): {out['validate_turbo_s']} s, {len(violations)} violations")
        old = os.environ.get("DCIKG_SHACL_ENGINE")
        for engine, k in (("turbo", changes), ("pyshacl", max(3, changes // 3))):
            os.environ["DCIKG_SHACL_ENGINE"] = engine
            get_settings.cache_clear()
            out[f"gate_{engine}"] = gate_bench.bench_gate(store, items, k, seed=7 if engine == "turbo" else 8)
            log(f"  gate {engine}: {out[f'gate_{engine}']['gate']}")
        if old is None:
            os.environ.pop("DCIKG_SHACL_ENGINE", None)
        else:
            os.environ["DCIKG_SHACL_ENGINE"] = old
        get_settings.cache_clear()
    finally:
        store.close()
        del store
        gc.collect()
    return out


def machine() -> dict:
    import pyoxigraph
    import pyshacl

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    versions = {"pyoxigraph": pyoxigraph.__version__, "pyshacl": pyshacl.__version__}
    with contextlib.suppress(ImportError):
        import pyshacl_turbo

        versions["pyshacl-turbo"] = pyshacl_turbo.__version__
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        versions["rdflib-endpoint"] = version("rdflib-endpoint")
        versions["oxigraph (CLI)"] = version("oxigraph")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "versions": versions,
            "load_tool": "wrk" if shutil.which("wrk") else "httpx (asyncio)"}  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="instrument counts, comma-separated")
    p.add_argument("--quick", action="store_true", help="smoke run: 1 s loads, 3 changes, 1 cold start, no rewrite")
    p.add_argument("--duration", type=float, default=None, help="seconds of load per measurement (default 5)")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--changes", type=int, default=None, help="status changes for the gate (default 30)")
    p.add_argument("--cold-starts", type=int, default=None, help="cold starts to time (default 3)")
    p.add_argument("--rdflib-max", type=int, default=100_000, help="largest size given to rdflib-endpoint")
    p.add_argument("--workdir", type=Path, default=None, help="where the stores go (default: a temp dir)")
    p.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="the file whose tables are rewritten")
    p.add_argument("--no-write", action="store_true", help="do not rewrite --output")
    p.add_argument("--keep", action="store_true", help="keep the stores in --workdir")
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    args.duration = args.duration or (1.0 if args.quick else 5.0)
    args.changes = args.changes or (3 if args.quick else 30)
    args.cold_starts = args.cold_starts or (1 if args.quick else 3)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dcikg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DCIKG_SHACL_ENGINE", "turbo")  # the register import and the server use it too
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    from bench import synthetic
    from kg.services.agreements import lifecycle
    from kg.services.build import init
    from kg.settings import get_settings
    from kg.store import EmbeddedStore

    get_settings.cache_clear()
    mem = EmbeddedStore(None)
    init(mem)
    # the bundled knowledge base, built once, copied into every store
    template = [q for g in mem.all_graphs() for q in mem.graph_quads(g)]
    topics, lc = synthetic.topic_codes(mem), lifecycle.load(mem)
    del mem
    results: dict = {"machine": machine(), "date": dt.date.today().isoformat(), "command": command.strip(),
                     "duration_s": args.duration, "concurrency": args.concurrency, "sizes": {}}  # fmt: skip
    try:
        for n in sizes:
            log(f"size {n}: building the stores on disk in {work}")
            r, items = build_stores(n, work, template, topics, lc)
            log(f"  {r}")
            r.update(bench_http(n, work, items, args, env))
            r.update(bench_offline(n, work, items, args.changes))
            results["sizes"][str(n)] = r
            OUTPUT.mkdir(exist_ok=True)
            (OUTPUT / ("results-quick.json" if args.quick else "results.json")).write_text(
                json.dumps(results, indent=1)
            )
            if not args.keep:
                for f in (f"store-{n}", f"data-{n}.nq", f"register-{n}.csv"):
                    shutil.rmtree(work / f, ignore_errors=True) if (work / f).is_dir() else (work / f).unlink(True)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if not (args.quick or args.no_write):
        from bench import plot
        from bench.report import rewrite

        results["plot"] = str(PLOT.relative_to(ROOT)) if plot.write(results["sizes"], PLOT) else None
        rewrite(args.output, results)
        log(f"tables rewritten in {args.output}")
    return results


if __name__ == "__main__":
    main()
