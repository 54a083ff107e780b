"""The exclusion rule (kg/services/competence/scoring.py `_exclusion`): a question is excluded when it names the
excluded topics at least as often as topics of the ministry's own bodies — questions *exclusively* another body's."""

from __future__ import annotations

from types import SimpleNamespace

from kg.services.competence.index import Exclusion
from kg.services.competence.scoring import _exclusion

M = "mandate/chapeau"
EX = Exclusion(M, "hors du champ", {"org/OTHER"}, {"topic/customs", "topic/taxation"})
INDEX = SimpleNamespace(
    exclusions=[EX],
    bodies={"topic/customs": {"org/OTHER"}, "topic/taxation": {"org/OTHER"}, "topic/police": {"org/DGPN"},
            "topic/police-cooperation": {"org/DGPN", "org/DGGN"}, "topic/training": set()},
)
LIVE = [SimpleNamespace(iri=M)]


def test_customs_alone_is_excluded() -> None:
    assert _exclusion(INDEX, {"topic/customs": 1.0, "topic/training": 1.0}, LIVE) is EX


def test_as_many_excluded_topics_as_own_ones_is_excluded() -> None:
    assert _exclusion(INDEX, {"topic/customs": 1.0, "topic/police": 1.0}, LIVE) is EX


def test_joint_police_and_customs_cooperation_is_not_excluded() -> None:
    weights = {"topic/customs": 1.0, "topic/police": 1.0, "topic/police-cooperation": 1.0}
    assert _exclusion(INDEX, weights, LIVE) is None


def test_a_broader_topic_reached_by_expansion_does_not_exclude() -> None:
    assert _exclusion(INDEX, {"topic/customs": 0.5}, LIVE) is None


def test_an_exclusion_of_a_text_not_in_force_does_not_apply() -> None:
    assert _exclusion(INDEX, {"topic/customs": 1.0}, []) is None
