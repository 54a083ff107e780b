"""One uncached competence answer with its case file, in process, on a store of any size:

    python -m bench.competence_latency --store /tmp/v100k/store-100000 [--at 2016-01-01] [--sparql]

The labelled questions (bench.config.LABELLED) are resolved once each, with the instruments of the countries
they name (about half of them name one). Prints the median, the maximum, how many took over 50 ms, and the
build times of the competence index and of the register's read model. `--sparql` takes the instruments from
the store (country-instruments.rq) instead of the read model: the path before 2026-12-02, and the one a
server takes while its model is being built. The store is opened read-only."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

import yaml

from bench.config import LABELLED


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, required=True, help="an embedded store directory")
    p.add_argument("--at", type=dt.date.fromisoformat, default=dt.date(2016, 1, 1))
    p.add_argument("--sparql", action="store_true", help="the instruments from the store, not the read model")
    args = p.parse_args(argv)

    from kg.services import competence
    from kg.services.agreements import readmodel
    from kg.services.competence.instruments import lookup_sparql
    from kg.store import EmbeddedStore

    store = EmbeddedStore(args.store, read_only=True)
    t = time.perf_counter()
    index = competence.build_index(store)
    out: dict = {"index_build_s": round(time.perf_counter() - t, 2)}
    if not args.sparql:
        t = time.perf_counter()
        readmodel.current(store)
        out["read_model_build_s"] = round(time.perf_counter() - t, 2)
    questions = [e["q"] for f in LABELLED for e in yaml.safe_load(f.read_text(encoding="utf-8"))]
    seconds = []
    for q in questions:
        t = time.perf_counter()
        found = (lookup_sparql if args.sparql else competence.instruments_lookup)(store, index)
        competence.resolve(index, q, args.at, 5, instruments=found)
        seconds.append(time.perf_counter() - t)
    out.update(
        path="store (country-instruments.rq)" if args.sparql else "read model",
        questions=len(questions),
        naming_a_country=sum(1 for q in questions if competence.countries_named(index, q)),
        median_ms=round(statistics.median(seconds) * 1000, 2),
        max_ms=round(max(seconds) * 1000, 1),
        over_50_ms=sum(s > 0.05 for s in seconds),
        load_average=" ".join(f"{x:.2f}" for x in os.getloadavg()),
    )
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
