"""The benchmark harness runs end to end at a tiny size (seconds), so it cannot rot. No timing assertion."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def test_bench_harness_smoke(tmp_path, monkeypatch):
    # the peers come from the `test` extra (oxigraph) and the `bench` extra (rdflib-endpoint), and wrk from
    # scripts/setup-test.sh, which `make test` runs: a missing one is a failure, not a skip. The path a machine
    # without wrk takes (the httpx child) is run by test_bench_load.py through the same `load.measure`.
    assert shutil.which("oxigraph") or (Path(sys.executable).parent / "oxigraph").exists()
    assert shutil.which("wrk"), "wrk is not on PATH: scripts/setup-test.sh installs it"
    from bench import report
    from bench.__main__ import main

    monkeypatch.setenv("DCIKG_SHACL_ENGINE", "turbo")
    res = main(["--sizes", "30", "--quick", "--workdir", str(tmp_path / "work"), "--changes", "3"])
    r = res["sizes"]["30"]
    assert r["triples"] > 10_000 and r["validate_violations"] == 0
    assert r["competence"]["requests"] > 0 and r["health"]["requests"] > 0
    assert r["competence_varied"]["requests"] > 0 and r["competence_varied"]["errors"] == 0
    assert {r[k]["tool"] for k in ("health", "competence", "competence_varied")} == {"wrk"}
    for store in ("embedded", "endpoint"):  # serve --workers 2 (bench/workers_bench.py), answering without errors
        w = r["workers"][store]["2"]
        assert all(w[k]["requests"] > 0 and w[k]["errors"] == 0 for k in ("health", "competence_varied"))
    for name, peers in r["sparql"].items():  # the same answer from every server (Virtuoso: scripts/setup-test.sh)
        assert peers["dci-kg"]["rows"] == peers["oxigraph serve"]["rows"] == peers["virtuoso"]["rows"], name
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\n<!-- bench:begin -->\nSTALE-TABLE\n<!-- bench:end -->\n\nafter\n")
    report.rewrite(out, res)
    text = out.read_text()
    assert "STALE-TABLE" not in text and "after" in text and "/competence" in text
    assert "verdicts at 30 instruments" in text  # the targets table
    # issue 17's: the many-process runs and their verdicts, from the same run
    assert "### Many API processes" in text and "### Targets (issue 17)" in text
    assert "point lookup p50 within 1.5x of oxigraph serve (30, 2 API processes, embedded store)" in text
    # a saved run is written again without running anything
    import json

    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(res))
    out.write_text("# Benchmarks\n\n<!-- bench:begin -->\nSTALE-TABLE\n<!-- bench:end -->\n")
    report.main([str(saved), "--output", str(out)])
    assert out.read_text() == text.replace("\n\nafter\n", "\n")
    from bench import plot

    assert plot.render(res["sizes"]) is None  # one size: nothing to plot
    twice = {"30": r, "300": {**r, "triples": r["triples"] * 10}}
    svg = plot.render(twice)
    assert svg is not None and svg.count("<polyline") >= 2 and "triples" in svg
