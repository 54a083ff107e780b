"""The two write targets at scale, phase by phase: whole-graph validation (`dci-kg validate`) and the register
import (rows checked, SHACL gate, commit, inference), on stores kept in a work directory.

    python -m bench.write_targets --workdir /tmp/v100k --size 100000 --build       # store A and the CSV, once
    python -m bench.write_targets --workdir /tmp/v100k --size 100000 --validate    # the serialized path
    python -m bench.write_targets --workdir /tmp/v100k --size 100000 --validate --path copy   # the former one
    python -m bench.write_targets --workdir /tmp/v100k --size 100000 --validate --shapes written  # no SPARQL targets
    python -m bench.write_targets --workdir /tmp/v100k --size 100000 --import      # a fresh store B each time

Figures are printed as JSON (one object per run) with the machine's load average before and after: the
machine is shared, a figure without its load is not comparable. No assertion on time anywhere.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import time
from pathlib import Path


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def build(work: Path, n: int) -> dict:
    import pyoxigraph as ox

    from bench import synthetic
    from bench.stores import build_stores
    from kg.services.agreements import lifecycle
    from kg.services.build import init
    from kg.store import EmbeddedStore

    mem = EmbeddedStore(None)
    init(mem)
    template = [q for g in mem.all_graphs() for q in mem.graph_quads(g)]
    (work / "template.nq").write_bytes(mem.dump(ox.RdfFormat.N_QUADS))
    out, _items = build_stores(n, work, template, synthetic.topic_codes(mem), lifecycle.load(mem), with_import=False)
    return out


def validate(work: Path, n: int, path: str, shapes: str) -> dict:
    from kg.gate.batch import union_store
    from kg.gate.engine import WriteRejected, check
    from kg.gate.shapes import validation_shapes
    from kg.gate.validation import serialized, union_ntriples
    from kg.store import EmbeddedStore

    out: dict = {"path": path, "shapes": shapes}
    t = time.perf_counter()
    store = EmbeddedStore(work / f"store-{n}")
    validation_shapes()
    out["open_and_shapes_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    if path == "copy":
        data = union_store(store)
        out["triples"] = len(data)
    else:
        text, out["triples"] = union_ntriples(store)
        data = serialized(text)
    out["read_store_s"] = round(time.perf_counter() - t, 2)
    t, cpu = time.perf_counter(), time.process_time()
    if shapes == "written":  # the shapes as written: every SPARQL constraint run once per focus node
        out["violations"] = _written_shapes_violations(data)
    else:
        try:
            check(data, engine_name="turbo")
            out["violations"] = 0
        except WriteRejected as exc:
            out["violations"] = len(exc.violations)
    out["engine_s"] = round(time.perf_counter() - t, 2)  # for "copy", includes pyshacl-turbo's own dump
    out["engine_cpu_s"] = round(time.process_time() - cpu, 2)  # this process's CPU: less sensitive to shared load
    store.close()
    return out


def _written_shapes_violations(data) -> int:
    from pyshacl_turbo import validate as turbo

    from kg.gate.engine import violations_of
    from kg.gate.shapes import shapes_graph

    _conforms, report, _text = turbo(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    return len(violations_of(report))


def register_import(work: Path, n: int, top: int, profiled: bool = True) -> dict:
    import pyoxigraph as ox

    from kg.services.build import load_files
    from kg.store import EmbeddedStore

    path = work / f"import-{n}"
    shutil.rmtree(path, ignore_errors=True)
    b = EmbeddedStore(path)
    b.bulk_write(list(ox.parse(path=str(work / "template.nq"), format=ox.RdfFormat.N_QUADS)))
    profile = cProfile.Profile()
    t = time.perf_counter()
    if profiled:
        profile.enable()
    load_files(b, [work / f"register-{n}.csv"])
    b.flush()
    profile.disable()
    out = {"register_import_s": round(time.perf_counter() - t, 2), "import_triples": b.count(), "profiled": profiled}
    if not profiled:
        b.close()
        shutil.rmtree(path, ignore_errors=True)
        return out
    stats = pstats.Stats(profile)
    wanted = ("plan_import", "batch_input", "batch_store", "check", "write", "materialise", "affected", "_derive",
              "read_rows", "check_rows", "commit")  # fmt: skip
    for (file, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name in wanted and ("/kg/" in file or "/loaders/" in file):
            out[f"{Path(file).stem}.{name}_s"] = round(row[3], 2)
    b.close()
    shutil.rmtree(path, ignore_errors=True)
    if top:
        stats.sort_stats("cumulative").print_stats(top)
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.write_targets", description=__doc__.split("\n")[0])
    p.add_argument("--workdir", type=Path, required=True)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--build", action="store_true", help="build store A and the register CSV in --workdir")
    p.add_argument("--validate", action="store_true")
    p.add_argument("--path", choices=["text", "copy"], default="text", help="validation input (copy: the former)")
    p.add_argument("--shapes", choices=["rewritten", "written"], default="rewritten",
                   help="validation shapes: as the gate runs them (SPARQL targets) or as written")  # fmt: skip
    p.add_argument("--import", dest="do_import", action="store_true")
    p.add_argument("--no-profile", action="store_true", help="time the import without cProfile (2-3x on Python)")
    p.add_argument("--profile-top", type=int, default=0, help="print the import's top N cProfile entries")
    args = p.parse_args(argv)
    os.environ.setdefault("DCIKG_SHACL_ENGINE", "turbo")
    args.workdir.mkdir(parents=True, exist_ok=True)
    work, n = args.workdir, args.size
    profiled = not args.no_profile
    steps = [("build", args.build, lambda: build(work, n)),
             ("validate", args.validate, lambda: validate(work, n, args.path, args.shapes)),
             ("import", args.do_import, lambda: register_import(work, n, args.profile_top, profiled))]  # fmt: skip
    for name, wanted, run in steps:
        if not wanted:
            continue
        before = _load()
        t = time.perf_counter()
        out = run()
        out.update(step=name, size=args.size, total_s=round(time.perf_counter() - t, 2), load_before=before,
                   load_after=_load())  # fmt: skip
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
