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
  4. peak RSS of each server (VmHWM of the process tree); `dci-kg serve --workers 1, 2, 4` over the embedded
     store and over `oxigraph serve`, against it (bench/workers_bench.py);
  5. servers stopped: the write gate per change (bench/gate_bench.py, both engines) and whole-graph
     validation (kg.gate.validation.validate_store, pyshacl-turbo) on A.
Results go to bench/output/results.json and, unless --quick or --no-write, between the bench markers of
BENCHMARKS.md. No assertion on time anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.config import OUTPUT, PLOT, ROOT
from bench.offline import bench_offline, machine
from bench.processes import log
from bench.serving import bench_http
from bench.stores import build_stores
from bench.tracker_bench import bench_tracker
from bench.workers_bench import bench_workers


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
    p.add_argument("--only", choices=["all", "tracker", "workers"], default="all",
                   help="tracker: only the negotiators' views (bench/tracker_bench.py); workers: only serve --workers "
                   "1, 2, 4 (bench/workers_bench.py); either: no register import, no rewrite")
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
            r, items = build_stores(n, work, template, topics, lc, with_import=args.only == "all")
            log(f"  {r}")
            if args.only == "all":
                r.update(bench_http(n, work, items, args, env))
            if args.only in ("all", "workers"):
                r["workers"] = bench_workers(n, work, items, args, env)
            if args.only in ("all", "tracker"):
                r["tracker"] = bench_tracker(n, work, args, env)
            if args.only == "all":
                r.update(bench_offline(n, work, items, args.changes))
            results["sizes"][str(n)] = r
            OUTPUT.mkdir(exist_ok=True)
            name = "results.json" if args.only == "all" else f"results-{args.only}.json"
            (OUTPUT / ("results-quick.json" if args.quick else name)).write_text(json.dumps(results, indent=1))
            if not args.keep:
                for f in (f"store-{n}", f"data-{n}.nq", f"register-{n}.csv"):
                    shutil.rmtree(work / f, ignore_errors=True) if (work / f).is_dir() else (work / f).unlink(True)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    from bench import workers_bench
    from bench.tracker_bench import table

    if args.only in ("all", "tracker"):
        print(table(results["sizes"]))
    if args.only in ("all", "workers"):
        print(workers_bench.table(results["sizes"]))
    if not (args.quick or args.no_write or args.only != "all"):
        from bench import plot
        from bench.report import rewrite

        results["plot"] = str(PLOT.relative_to(ROOT)) if plot.write(results["sizes"], PLOT) else None
        rewrite(args.output, results)
        log(f"tables rewritten in {args.output}")
    return results


if __name__ == "__main__":
    main()
