"""bench.catch_up: a process of one store owner follows another's writes from the generation log, with no
rebuild of its read model (what BENCHMARKS.md reports). No timing assertion."""

from __future__ import annotations

from bench.catch_up import main


def test_another_process_writes_and_the_reader_never_rebuilds(tmp_path) -> None:
    owner, endpoint = main(["--sizes", "300", "--writes", "3", "--workdir", str(tmp_path)])
    assert (owner["mode"], endpoint["mode"]) == ("owner", "endpoint")
    for out in (owner, endpoint):  # from this host's log, and from the store's own over --endpoint
        assert out["instruments"] == 300 and out["writes"] == 3
        assert out["rebuilds_after_writes"] == 0
