"""After one process of `serve --workers N` writes, how long another takes until its read model (the tracker,
`/agreements`, the negotiators' views) answers again: caught up from the generation log (only the instruments
written since are read again) against the whole model built again from the store, the only way before.

    python -m bench.catch_up [--sizes 1000,10000] [--writes 20] [--modes owner,endpoint] [--workdir DIR]

Two RemoteStores over one `oxigraph serve` of a synthetic store; one writes status changes, the other reads after
each. `owner`: they share the generation file and its log, as the processes of `serve --workers 2` over the
embedded store do; `endpoint`: they share nothing but the server, as processes (or hosts) of `serve --endpoint`
do, and the log is the store's own (kg/store/changelog.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.servers import start_oxigraph
from bench.stores import build_stores


def measure(n: int, work: Path, writes: int, mode: str = "owner") -> dict:
    from bench import synthetic
    from cli.serving import stop_process
    from kg.services import agreements
    from kg.services.agreements import lifecycle, readmodel
    from kg.services.build import init
    from kg.store import EmbeddedStore
    from kg.store.remote import RemoteStore

    mem = EmbeddedStore(None)
    init(mem)
    template = [q for g in mem.all_graphs() for q in mem.graph_quads(g)]
    topics, lc = synthetic.topic_codes(mem), lifecycle.load(mem)
    del mem
    build_stores(n, work, template, topics, lc, with_import=False)
    proc, url = start_oxigraph(work / f"store-{n}", 60)
    try:
        owner = {"lock_dir": work / "locks", "path": work / "owned" if mode == "owner" else None}
        a, b = (RemoteStore(f"{url}/query", f"{url}/update", **owner) for _ in "ab")
        t = time.perf_counter()
        readmodel.current(b)
        first_build = time.perf_counter() - t
        todo = agreements.list_instruments(a, status="negotiating", limit=writes, include_restricted=True)["items"]
        catch_up, write, built = [], [], []
        real_build = readmodel.build
        readmodel.build = lambda store: built.append(store) or real_build(store)  # counted, not changed
        for item in todo:
            t = time.perf_counter()
            agreements.transition(a, item["id"], "initialled", date=dt.date(2026, 12, 1), by="bench")
            write.append(time.perf_counter() - t)
            t = time.perf_counter()
            readmodel.current(b)
            catch_up.append(time.perf_counter() - t)
        readmodel.build = real_build
        t = time.perf_counter()
        readmodel.build(b)
        rebuild = time.perf_counter() - t
        a.close()
        b.close()
    finally:
        stop_process(proc)
    return {
        "instruments": n, "mode": mode, "writes": len(todo), "rebuilds_after_writes": len(built),
        "first_build_s": round(first_build, 2),
        "rebuild_s": round(rebuild, 2),
        "catch_up_ms_p50": round(statistics.median(catch_up) * 1000, 1),
        "catch_up_ms_max": round(max(catch_up) * 1000, 1),
        "transition_ms_p50": round(statistics.median(write) * 1000, 1),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> list[dict]:
    p = argparse.ArgumentParser(prog="python -m bench.catch_up", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000", help="instrument counts, comma-separated")
    p.add_argument("--writes", type=int, default=20, help="status changes by the writing process")
    p.add_argument("--modes", default="owner,endpoint", help="owner, endpoint or both, comma-separated")
    p.add_argument("--workdir", type=Path, default=None)
    args = p.parse_args(argv)
    out = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for mode in args.modes.split(","):
                work = Path(tmp) / f"{n}-{mode}"
                work.mkdir()
                out.append(measure(n, work, args.writes, mode))
                print(out[-1], flush=True)
    return out


if __name__ == "__main__":
    main()
