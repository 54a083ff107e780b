"""What `/sparql` pays for running a caller's query in a confined worker process (killed at the time limit)
instead of in a thread of the API process: the same queries both ways, on the same store on disk.

    python -m bench.sparql_hop [--instruments 10000] [--calls 200]

A thread would be enough only if pyoxigraph could stop a query: its `Store.query` (0.5) takes no timeout and
offers no cancellation, and its lazy solutions iterator cannot help where the work happens before the first
solution (an aggregate, an ORDER BY): the run below times such a query's call and its first solution."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.stores import build_stores, query_texts

# a bounded cross product (3000 x 3000 rows), counted: all of its work is done in one native call
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?p ?b } LIMIT 3000 } "
        "{ SELECT ?c WHERE { ?c ?q ?d } LIMIT 3000 } }")


def main(argv: list[str] | None = None) -> None:
    import pyoxigraph as ox

    from bench import synthetic
    from kg.services.agreements import lifecycle
    from kg.services.build import init
    from kg.sparql.pool import EmbeddedRunner
    from kg.sparql.protocol import RESULT_FORMATS
    from kg.store import EmbeddedStore

    p = argparse.ArgumentParser(prog="python -m bench.sparql_hop", description=__doc__.split("\n\n")[0])
    p.add_argument("--instruments", type=int, default=10000)
    p.add_argument("--calls", type=int, default=200)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mem = EmbeddedStore(None)
        init(mem)
        template = [q for g in mem.all_graphs() for q in mem.graph_quads(g)]
        topics, lc = synthetic.topic_codes(mem), lifecycle.load(mem)
        del mem
        _, items = build_stores(args.instruments, work, template, topics, lc, with_import=False)
        store = EmbeddedStore(work / f"store-{args.instruments}")
        texts = {k: v for k, v in query_texts(items).items() if k in ("instrument-history", "status-by-country")}
        raw = store._store  # the engine itself, as a thread would call it

        def in_thread(text: str) -> bytes:
            return raw.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)

        async def measure() -> None:
            runner = EmbeddedRunner(store, workers=2)
            await runner.ready()
            fmt = RESULT_FORMATS[0]
            graphs = store.graph_names()
            for name, text in texts.items():
                checked = await runner.check(text, 100_000, 10_000, time.monotonic() + 30)
                hop, thread = [], []
                for _ in range(args.calls):
                    t = time.perf_counter()
                    await runner.run(checked, fmt, graphs, time.monotonic() + 30, 10_000, 10_000_000)
                    hop.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    await asyncio.to_thread(in_thread, text)
                    thread.append(time.perf_counter() - t)
                print({"query": name, "calls": args.calls,
                       "worker_process_ms_p50": round(statistics.median(hop) * 1000, 2),
                       "thread_ms_p50": round(statistics.median(thread) * 1000, 2)}, flush=True)  # fmt: skip
            runner.close()

        asyncio.run(measure())
        t = time.perf_counter()
        solutions = raw.query(SLOW, use_default_graph_as_union=True)
        called = time.perf_counter() - t
        next(iter(solutions))
        first = time.perf_counter() - t - called
        print({"count_of_a_cross_product": "3000 x 3000", "query_call_s": round(called, 3),
               "first_solution_s": round(first, 3)})  # fmt: skip


if __name__ == "__main__":
    main()
