"""Write-gate latency per single change and whole-graph validation time on synthetic registers.

    python -m bench.gate_bench 1000 10000 [--changes 30] [--whole 1000] [--endpoint URL/query --update URL/update]

For each size: the bundled store plus N synthetic instruments (in memory), then `--changes` legal status
changes on random instruments, each timed end to end (kg.services.agreements.transition: state query, life-cycle,
gate, commit) and for the gate alone (kg.gate.commit: neighbourhood extraction + pyshacl + transaction).
Whole-graph validation (kg.gate.validation.validate_store, pyshacl) is run for the sizes given to --whole.
With --endpoint, the store is built in memory, then copied into that SPARQL server (its project graphs
replaced first) and the changes are made there (kg.store.remote).
Prints one JSON line per measurement; no assertion on time.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time

from bench import synthetic
from kg import gate
from kg.services import agreements
from kg.services.agreements import lifecycle
from kg.services.build import init
from kg.store import EmbeddedStore


def build(n: int) -> tuple[EmbeddedStore, list[synthetic.Synthetic], float]:
    t0 = time.perf_counter()
    store = EmbeddedStore(None)
    init(store)
    items = synthetic.generate(n, lifecycle.load(store), synthetic.topic_codes(store))
    store.bulk_add(synthetic.to_quads(store, items))
    return store, items, time.perf_counter() - t0


def to_remote(local: EmbeddedStore, endpoint: str, update: str | None):
    """The remote store at `endpoint`, holding exactly the quads of `local` (in batches: a bulk load)."""
    from kg.store.remote import RemoteStore

    remote = RemoteStore(endpoint, update, timeout=600)
    for g in remote.graph_names():
        remote.drop_graph(g)
    quads = local.quads()
    for start in range(0, len(quads), 50_000):
        remote.bulk_add(quads[start : start + 50_000])
    return remote


def summary(xs: list[float]) -> dict:
    ms = [x * 1000 for x in xs]
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1),
            "n": len(ms)}  # fmt: skip


def bench_gate(store: EmbeddedStore, items: list[synthetic.Synthetic], changes: int, seed: int = 7) -> dict:
    lc = lifecycle.load(store)
    rng = random.Random(seed)
    candidates = [it for it in items if lc.allowed_next.get(it.events[-1][1])]
    gate_times: list[float] = []
    real_commit = gate.commit

    def timed_commit(*args, **kwargs):
        t = time.perf_counter()
        try:
            return real_commit(*args, **kwargs)
        finally:
            gate_times.append(time.perf_counter() - t)

    total: list[float] = []
    gate.commit = timed_commit  # timing wrapper around the real gate, not a replacement
    try:
        for it in rng.sample(candidates, len(candidates)):
            if len(total) == changes:
                break
            state = agreements.show(store, it.row["id"], include_restricted=True)["status"]
            if state != it.events[-1][1] or not lc.allowed_next.get(state):
                continue  # changed by an earlier run on the same store
            nxt = sorted(lc.allowed_next[state])[0]
            last = max(d for _f, _t, d in it.events)
            t = time.perf_counter()
            agreements.transition(store, it.row["id"], nxt, date=last, by="bench")
            total.append(time.perf_counter() - t)
    finally:
        gate.commit = real_commit
    return {"transition": summary(total), "gate": summary(gate_times)}


def main(argv: list[str]) -> None:
    sizes = [int(a) for i, a in enumerate(argv) if a.isdigit() and (i == 0 or not argv[i - 1].startswith("--"))]
    changes = int(argv[argv.index("--changes") + 1]) if "--changes" in argv else 30
    whole = {int(x) for x in argv[argv.index("--whole") + 1].split(",")} if "--whole" in argv else set()
    endpoint = argv[argv.index("--endpoint") + 1] if "--endpoint" in argv else None
    update = argv[argv.index("--update") + 1] if "--update" in argv else None
    print(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                      "cpu": platform.processor() or platform.machine()}), flush=True)  # fmt: skip
    for n in sizes:
        store, items, build_s = build(n)
        result = {"instruments": n, "triples": store.count(), "build_s": round(build_s, 1)}
        if endpoint is not None:
            store = to_remote(store, endpoint, update)
            result["store"] = endpoint
        result.update(bench_gate(store, items, changes))
        print(json.dumps(result), flush=True)
        if n in whole:
            from kg.gate.validation import validate_store

            t = time.perf_counter()
            violations, triples = validate_store(store)
            print(json.dumps({"instruments": n, "whole_validation_s": round(time.perf_counter() - t, 1),
                              "triples": triples, "violations": len(violations)}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
