"""bench.accuracy: the blind validation and test sets are never listed question by question, and the test
set is scored only when asked for by name."""

from __future__ import annotations

import argparse

import pytest

from bench.accuracy import DEFAULT_SETS, SETS, main, parse_sets


def test_the_test_set_is_not_scored_by_default() -> None:
    assert "test" not in parse_sets(DEFAULT_SETS)
    assert parse_sets("test") == ["test"]
    assert all(path.exists() for path, _ in SETS.values())


def test_an_unknown_set_is_refused_by_name() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="tset"):
        parse_sets("dev,tset")


@pytest.mark.parametrize("name", ["validation", "test"])
def test_misses_of_the_blind_sets_are_never_listed(name: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--sets", name, "--verbose"])
    assert exit_.value.code == 2
    assert "aggregate only" in capsys.readouterr().err
