"""The host rule (kg/services/competence/casefile.py `_host`): a general provision goes into the `also` of the
best item covering its case. One that no item of the detailing texts details (décret art. 23 para. 5, the proper
use of funds) is covered only by an item reaching each of its most specific matched topics, or scoring as high:
an item on funding that scores less does not cover the proper use of funds, a narrower case."""

from __future__ import annotations

from types import SimpleNamespace

from kg.services.competence.casefile import _host

BROADER = {"topic/funds-management": {"topic/funding"}, "topic/funding": {"topic/instruments"}}


def ancestors(topic: str) -> dict[str, int]:
    out, frontier, depth = {topic: 0}, [topic], 0
    while frontier:
        depth += 1
        frontier = [b for t in frontier for b in BROADER.get(t, ()) if b not in out]
        out.update({b: depth for b in frontier})
    return out


INDEX = SimpleNamespace(broader=BROADER, ancestors=ancestors, casedata=SimpleNamespace(reach_cache={}))


def scored(iri: str, score: float, topics: list[str]) -> SimpleNamespace:
    return SimpleNamespace(mandate=SimpleNamespace(iri=iri), score=score, topics=topics)


PARA5 = scored("para/5", 3.9, ["topic/funds-management", "topic/funding"])
H = scored("item/h", 2.5, ["topic/funding"])


def test_a_shared_topic_hosts_a_provision_some_item_details() -> None:
    assert _host(INDEX, PARA5, [H]) is H


def test_an_item_reaching_only_a_broader_topic_and_scoring_less_does_not_host() -> None:
    assert _host(INDEX, PARA5, [H], whole=True) is None


def test_an_item_scoring_as_high_hosts() -> None:
    strong = scored("item/h", 4.0, ["topic/funding"])
    assert _host(INDEX, PARA5, [strong], whole=True) is strong


def test_an_item_reaching_the_narrower_topic_hosts() -> None:
    item = scored("item/x", 1.0, ["topic/funds-management"])
    assert _host(INDEX, PARA5, [item], whole=True) is item
