"""bench.accuracy: the blind validation set is never listed question by question; the test sets are scored
only when asked for by name (scored once and reported, they are tuned on afterwards)."""

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


@pytest.mark.parametrize("sets", ["validation", "dev,validation"])
def test_misses_of_the_validation_set_are_never_listed(sets: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--sets", sets, "--verbose"])
    assert exit_.value.code == 2
    assert "aggregate only" in capsys.readouterr().err


def test_the_test_sets_scored_once_say_when_they_became_tuning_material() -> None:
    assert all("tuned on from round 5" in SETS[name][1] for name in ("test", "test2", "test3"))
    assert "tuned on from round 6" in SETS["test4"][1] and "tuned on from round 7" in SETS["test5"][1]
    assert "tuned on from round 8" in SETS["test6"][1] and "tuned on from round 9" in SETS["test7"][1]
    assert "tuned on from round 10" in SETS["test8"][1] and "tuned on from round 11" in SETS["test9"][1]
    assert "tuned on from round 12" in SETS["test10"][1] and "tuned on from round 13" in SETS["test11"][1]
    assert "tuned on from round 14" in SETS["test12"][1] and "tuned on from round 15" in SETS["test13"][1]
