"""The walk of a remote store's change log (kg/store/changelog.py): a chain of links from the current
generation back to the reader's gives the records between; anything else gives None (the reader rebuilds)."""

from __future__ import annotations

from kg.store.base import Change
from kg.store.changelog import merged, path, record


def test_the_records_between_two_generations_are_found_back_from_the_current_one() -> None:
    links = [("c2", 2, 1, False), ("c3", 3, 2, False), ("c4", 4, 3, False)]
    assert path(links, 1, 4) == ["c4", "c3", "c2"]
    assert path(links, 3, 4) == ["c4"]
    assert path(links, 4, 4) == []


def test_a_missing_link_an_unknown_record_or_a_fork_is_no_answer() -> None:
    assert path([("c3", 3, 2, False)], 1, 3) is None  # the write from 1 to 2 is not in the log
    assert path([("c2", 2, 1, False), ("c3", 3, None, False)], 1, 3) is None  # a record with no link
    assert path([("c2", 2, 1, True), ("c3", 3, 2, False)], 1, 3) is None  # a write too large to list
    fork = [("c2", 2, 1, False), ("c3", 3, 2, False), ("x", 9, 2, False)]
    assert path(fork, 1, 3) is None  # two writes followed generation 2: one of them is not on the way
    assert path([("c2", 2, 1, False), ("c2b", 2, 1, False)], 1, 2) is None  # one generation, two records
    assert path([("a", 2, 3, False), ("b", 3, 2, False)], 1, 3) is None  # a cycle ends


def test_a_record_lists_what_its_write_touched_or_says_it_cannot() -> None:
    change = Change(frozenset({"https://x/s"}), frozenset({"https://x/p"}), frozenset({"https://x/g"}))
    quads = record(5, change, now=100)
    assert {q[1].rsplit("#", 1)[1][:-1] for q in quads} == {
        "changeGeneration", "loggedAt", "touchedSubject", "touchedPredicate", "touchedGraph"}  # fmt: skip
    assert any(q[1].endswith("#changeUnknown>") for q in record(5, None, now=100))
    rows = [{"kind": "s", "term": "https://x/s"}, {"kind": "p", "term": "https://x/p"}, {"kind": "g", "term": "https://x/g"}]
    assert merged(rows) == change
