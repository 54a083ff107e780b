"""The benchmark harness runs end to end at a tiny size (seconds), so it cannot rot. No timing assertion."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


def path_without(tool: str, shadow: Path) -> str:
    """PATH with `tool` hidden: each directory that holds it is replaced by a copy made of symlinks to
    everything else in it (python, oxigraph and the rest stay reachable)."""
    dirs = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        here = Path(d)
        if not (here / tool).exists():
            dirs.append(d)
            continue
        copy = shadow / f"{len(dirs)}"
        copy.mkdir(parents=True)
        for entry in here.iterdir():
            if entry.name != tool:
                (copy / entry.name).symlink_to(entry)
        dirs.append(str(copy))
    return os.pathsep.join(dirs)


@pytest.mark.parametrize("loader", ["wrk", "httpx"])
def test_bench_harness_smoke(tmp_path, monkeypatch, loader):
    # the peers come from the `test` extra (oxigraph) and the `bench` extra (rdflib-endpoint), and wrk from
    # scripts/setup-test.sh, which `make test` runs: a missing one is a failure, not a skip
    assert shutil.which("oxigraph") or (Path(sys.executable).parent / "oxigraph").exists()
    assert shutil.which("wrk"), "wrk is not on PATH: scripts/setup-test.sh installs it"
    if loader == "httpx":  # the path a machine without wrk takes
        monkeypatch.setenv("PATH", path_without("wrk", tmp_path / "bin"))
        assert shutil.which("wrk") is None
    from bench import report
    from bench.__main__ import main

    monkeypatch.setenv("DCIKG_SHACL_ENGINE", "turbo")
    res = main(["--sizes", "30", "--quick", "--workdir", str(tmp_path / "work"), "--changes", "3"])
    r = res["sizes"]["30"]
    assert r["triples"] > 10_000 and r["validate_violations"] == 0
    assert r["competence"]["requests"] > 0 and r["health"]["requests"] > 0
    assert r["competence_varied"]["requests"] > 0 and r["competence_varied"]["errors"] == 0
    assert {r[k]["tool"] for k in ("health", "competence", "competence_varied")} == {loader}
    for name, peers in r["sparql"].items():
        assert peers["dci-kg"]["rows"] == peers["oxigraph serve"]["rows"], name
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\n<!-- bench:begin -->\nSTALE-TABLE\n<!-- bench:end -->\n\nafter\n")
    report.rewrite(out, res)
    text = out.read_text()
    assert "STALE-TABLE" not in text and "after" in text and "/competence" in text
    assert "verdicts at 30 instruments" in text  # the targets table
    from bench import plot

    assert plot.render(res["sizes"]) is None  # one size: nothing to plot
    twice = {"30": r, "300": {**r, "triples": r["triples"] * 10}}
    svg = plot.render(twice)
    assert svg is not None and svg.count("<polyline") >= 2 and "triples" in svg
