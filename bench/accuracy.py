"""Accuracy of competence resolution on the labelled questions (tests/data/competence_questions.yaml).

    python -m bench.accuracy [--verbose]

prints top-1 / top-3 accuracy; BENCHMARKS.md records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.services.competence import Index, build_index, resolve
from vocab.namespaces import ID
from vocab.paths import ROOT

QUESTIONS = ROOT / "tests" / "data" / "competence_questions.yaml"
DEFAULT_DATE = dt.date(2020, 1, 1)


@dataclass
class Outcome:
    question: str
    at: dt.date
    expected: list[str]
    got: list[str]

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0] in self.expected

    @property
    def top3(self) -> bool:
        return any(g in self.expected for g in self.got[:3])


def expected_key(e: dict) -> str:
    """The IRI (or 'excluded') an expectation names."""
    if e.get("role") == "excluded":
        return "excluded"
    if "mandate" in e:
        return f"{ID}mandate/{e['mandate']}"
    base = f"{ID}text/{e['text']}/art/{e['article']}"
    if "letter" in e:
        return f"{base}/item/{e['letter']}"
    if "number" in e:
        return f"{base}/item/{e['number']}"
    return f"{base}/para/{e['paragraph']}"


def answer_key(a: dict) -> str:
    return "excluded" if a["role"] == "excluded" else a["mandate"]["iri"]


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(index: Index, questions: list[dict]) -> list[Outcome]:
    out = []
    for q in questions:
        at = q.get("at") or DEFAULT_DATE
        at = at if isinstance(at, dt.date) else dt.date.fromisoformat(str(at))
        answer = resolve(index, q["q"], at, limit=3)
        out.append(
            Outcome(q["q"], at, [expected_key(e) for e in q["expect"]], [answer_key(a) for a in answer["answers"]])
        )
    return out


def main() -> None:
    from kg.services.build import init
    from kg.store import EmbeddedStore

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the questions missed at top-1")
    args = parser.parse_args()
    store = EmbeddedStore(None)
    init(store)
    outcomes = evaluate(build_index(store), load_questions())
    n = len(outcomes)
    top1 = sum(o.top1 for o in outcomes)
    top3 = sum(o.top3 for o in outcomes)
    print(f"questions: {n}  top-1: {top1}/{n} = {top1 / n:.1%}  top-3: {top3}/{n} = {top3 / n:.1%}")
    if args.verbose:
        short = lambda k: k.replace(str(ID), "")  # noqa: E731
        for o in outcomes:
            if not o.top1:
                mark = "  (top-3)" if o.top3 else ""
                print(
                    f"- {o.question} [{o.at}]\n    expected {[short(e) for e in o.expected]}\n"
                    f"    got      {[short(g) for g in o.got]}{mark}"
                )


if __name__ == "__main__":
    main()
