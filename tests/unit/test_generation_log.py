"""The generation file's log: what the writes between two generations touched, or "unknown" — never
"nothing" for a generation it cannot account for."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.store import genfile
from kg.store.base import Change
from kg.store.genfile import GenerationFile


def quad(s: str, p: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"https://example.org/{s}"), ox.NamedNode(f"https://example.org/{p}"), ox.Literal("x"))


def test_the_writes_since_a_generation_are_the_union_of_what_each_touched(tmp_path: Path) -> None:
    one, other = GenerationFile(tmp_path / "gen"), GenerationFile(tmp_path / "gen")  # two processes
    start = other.read()
    one.bump(Change.of([quad("a", "p")]))
    middle = other.read()
    blank = ox.Quad(ox.BlankNode(), ox.NamedNode("https://example.org/r"), ox.Literal("y"))
    other.bump(Change.of([quad("b", "q"), blank]))
    now = one.read()
    change = other.since(start, now)
    assert change is not None
    assert change.subjects == {"https://example.org/a", "https://example.org/b"}  # a blank node is nobody's key
    assert change.predicates == {"https://example.org/p", "https://example.org/q", "https://example.org/r"}
    assert one.since(middle, now).subjects == {"https://example.org/b"}
    assert one.since(now, now) == Change(frozenset(), frozenset())


def test_an_unknown_write_or_generation_reads_as_unknown(tmp_path: Path) -> None:
    log = GenerationFile(tmp_path / "gen")
    start = log.read()
    assert log.since(start ^ 1, start) is None  # never in the log
    log.bump(None)  # e.g. a graph dropped: what it held is not listed
    log.bump(Change.of([quad("a", "p")]))
    assert log.since(start, log.read()) is None
    assert log.since(start, log.read() ^ 1) is None  # a generation the log has not reached


def test_the_log_is_cut_to_its_newer_half_and_what_was_cut_reads_as_unknown(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(genfile, "MAX_LOG", 2000)
    log = GenerationFile(tmp_path / "gen")
    first = log.read()
    seen = []
    for i in range(100):
        log.bump(Change.of([quad(f"s{i}", "p")]))
        seen.append(log.read())
    assert log.log_path.stat().st_size <= 2000 + 200
    assert log.since(first, log.read()) is None
    assert log.since(seen[-3], log.read()).subjects == {"https://example.org/s98", "https://example.org/s99"}
