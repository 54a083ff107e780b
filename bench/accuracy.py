"""Accuracy of competence resolution on the labelled question sets, beside a plain BM25 anchor.

    python -m bench.accuracy                          # tuned, holdout, dev, validation
    python -m bench.accuracy --sets dev --verbose     # the misses of the blind development set
    python -m bench.accuracy --sets dev,test,test2,test3 --verbose   # the misses of every set tuned on

Per set: top-1 / top-3 of the resolver (an answer counts when it, or a provision of its case file's `also`, is
expected), the strict reading (the answer itself), and BM25 (bench/bm25_anchor.py), then per language and period
(dated: a question about a date before 2013-10-02, when the 2010 arrêté was in force; recent: the rest, or no
date). Also the time to build the index (the thesaurus, lemmatiser and mandates read once) and the median time
of one uncached resolve. `--verbose` lists misses, and is refused for the validation set (and for a test set not
scored yet, when there is one: none since test13 was scored at dd79ba8): they are read in aggregate only.
BENCHMARKS.md ("Competence accuracy") records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.services.competence import Index, build_index, resolve
from vocab.namespaces import ID
from vocab.paths import ROOT

DATA = ROOT / "tests" / "data"
QUESTIONS = DATA / "competence_questions.yaml"
SETS: dict[str, tuple[Path, str]] = {
    "tuned": (QUESTIONS, "old development set: the thesaurus and scoring were tuned on it"),
    "holdout": (DATA / "competence_questions_holdout.yaml", "old held-out set, written blind"),
    "dev": (DATA / "blind-dev.yaml", "blind development set: tuned on"),
    "dev2": (DATA / "blind-dev-2.yaml", "second blind development set, mostly English (2026-12-02): tuned on"),
    "validation": (DATA / "blind-validation.yaml", "blind validation set: aggregate scores only"),
    "test": (DATA / "blind-test.yaml", "first blind test set: scored once at 6373d84, tuned on from round 5"),
    "test2": (DATA / "blind-test-2.yaml", "second blind test set: scored once at 6a9a210, tuned on from round 5"),
    "test3": (DATA / "blind-test-3.yaml", "third blind test set: scored once at 793d923, tuned on from round 5"),
    "test4": (DATA / "blind-test-4.yaml", "fourth blind test set: scored once at f23c1a4, tuned on from round 6"),
    "test5": (DATA / "blind-test-5.yaml", "fifth blind test set: scored once at 36a914a, tuned on from round 7"),
    "test6": (DATA / "blind-test-6.yaml", "sixth blind test set: scored once at 67d5147, tuned on from round 8"),
    "test7": (DATA / "blind-test-7.yaml", "seventh blind test set: scored once at 58e16ce, tuned on from round 9"),
    "test8": (
        DATA / "blind-test-8.yaml",
        "eighth blind test set (tests/data/blind-writer-task.md): scored once at 11e3e53, tuned on from round 10",
    ),
    "test9": (
        DATA / "blind-test-9.yaml",
        "ninth blind test set (tests/data/blind-writer-task.md): scored once at 0b7366f, tuned on from round 11",
    ),
    "test10": (
        DATA / "blind-test-10.yaml",
        "tenth blind test set (tests/data/blind-writer-task.md): scored once at 14bde9c, tuned on from round 12",
    ),
    "test11": (
        DATA / "blind-test-11.yaml",
        "eleventh blind test set (tests/data/blind-writer-task.md): scored once at 77a4fc6, tuned on from round 13",
    ),
    "test12": (
        DATA / "blind-test-12.yaml",
        "twelfth blind test set (tests/data/blind-writer-task.md): scored once at 7110863, tuned on from round 14",
    ),
    "test13": (
        DATA / "blind-test-13.yaml",
        "thirteenth blind test set (tests/data/blind-writer-task.md): scored once at dd79ba8, tuned on from round 15",
    ),
}
DEFAULT_SETS = "tuned,holdout,dev,validation"
NO_VERBOSE = {"validation"}  # test..test13, scored once and reported, are tuned on since; a new test set joins it
DEFAULT_DATE = dt.date(2020, 1, 1)
SWITCH = dt.date(2013, 10, 2)  # the 2013 arrêté replaces the 2010 one


@dataclass
class Outcome:
    question: str
    at: dt.date
    expected: list[str]
    got: list[str]
    lang: str = ""
    dated: bool = False
    anchor: list[str] | None = None  # BM25's ranking
    seconds: float = 0.0
    also: list[list[str]] | None = None  # per answer, the provisions its case file names in `also`

    def _hit(self, rank: int) -> bool:
        """The answer at `rank` is expected, or names an expected provision in its `also` (contract v2: an
        item's chapeau, the décret it details, the embassy page covering the same case)."""
        also = self.also[rank] if self.also and rank < len(self.also) else []
        return self.got[rank] in self.expected or any(x in self.expected for x in also)

    @property
    def top1(self) -> bool:
        return bool(self.got) and self._hit(0)

    @property
    def top3(self) -> bool:
        return any(self._hit(r) for r in range(min(3, len(self.got))))

    @property
    def strict1(self) -> bool:
        """The first answer itself is expected (its `also` not counted): the stricter reading."""
        return bool(self.got) and self.got[0] in self.expected

    @property
    def strict3(self) -> bool:
        return any(g in self.expected for g in self.got[:3])

    @property
    def anchor1(self) -> bool:
        return bool(self.anchor) and self.anchor[0] in self.expected

    @property
    def anchor3(self) -> bool:
        return any(g in self.expected for g in (self.anchor or [])[:3])


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


def _date(q: dict) -> tuple[dt.date, bool]:
    at = q.get("at")
    if at is None:
        return DEFAULT_DATE, False
    at = at if isinstance(at, dt.date) else dt.date.fromisoformat(str(at))
    return at, at < SWITCH


def evaluate(
    index: Index, questions: list[dict], anchor: Callable[[str, dt.date], list[str]] | None = None
) -> list[Outcome]:
    out = []
    for q in questions:
        at, dated = _date(q)
        t0 = time.perf_counter()
        answer = resolve(index, q["q"], at, limit=3)
        seconds = time.perf_counter() - t0
        out.append(
            Outcome(
                q["q"],
                at,
                [expected_key(e) for e in q["expect"]],
                [answer_key(a) for a in answer["answers"]],
                str(q.get("lang", "")),
                dated,
                anchor(q["q"], at) if anchor else None,
                seconds,
                [[x["iri"] for x in a.get("also", [])] for a in answer["answers"]],
            )
        )
    return out


def _pct(k: int, n: int) -> str:
    return f"{k}/{n} = {k / n:.1%}" if n else "—"


def summary(outcomes: list[Outcome]) -> dict[str, str]:
    n = len(outcomes)
    return {
        "n": str(n),
        "top-1": _pct(sum(o.top1 for o in outcomes), n),
        "top-3": _pct(sum(o.top3 for o in outcomes), n),
        "strict top-1": _pct(sum(o.strict1 for o in outcomes), n),
        "strict top-3": _pct(sum(o.strict3 for o in outcomes), n),
        "bm25 top-1": _pct(sum(o.anchor1 for o in outcomes), n),
        "bm25 top-3": _pct(sum(o.anchor3 for o in outcomes), n),
    }


def slices(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    return {
        "all": outcomes,
        "fr": [o for o in outcomes if o.lang == "fr"],
        "en": [o for o in outcomes if o.lang == "en"],
        "dated": [o for o in outcomes if o.dated],
        "recent": [o for o in outcomes if not o.dated],
    }


def commit() -> str:
    try:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        )
        return sha.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def print_table(results: dict[str, list[Outcome]]) -> None:
    cols = ["n", "top-1", "top-3", "strict top-1", "strict top-3", "bm25 top-1", "bm25 top-3"]
    print("| set | slice | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for name, outcomes in results.items():
        for label, part in slices(outcomes).items():
            if part:
                row = summary(part)
                print(f"| {name} | {label} | " + " | ".join(row[c] for c in cols) + " |")


def print_misses(outcomes: list[Outcome]) -> None:
    short = lambda k: k.replace(str(ID), "")  # noqa: E731
    for o in outcomes:
        if not o.top1:
            mark = "  (top-3)" if o.top3 else ""
            print(
                f"- {o.question} [{o.at}]\n    expected {[short(e) for e in o.expected]}\n"
                f"    got      {[short(g) for g in o.got]}{mark}"
            )


def parse_sets(value: str) -> list[str]:
    names = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in names if s not in SETS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown set(s) {unknown}; choose among {', '.join(SETS)}")
    return names


def main(argv: list[str] | None = None) -> None:
    from bench.bm25_anchor import Anchor
    from kg.services.build import init
    from kg.store import EmbeddedStore

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sets",
        type=parse_sets,
        default=parse_sets(DEFAULT_SETS),
        help=f"comma-separated among {', '.join(SETS)} (default {DEFAULT_SETS}; 'test' only on purpose)",
    )
    parser.add_argument("--verbose", action="store_true", help="list the questions missed at top-1")
    args = parser.parse_args(argv)
    if args.verbose and NO_VERBOSE & set(args.sets):
        parser.error(f"--verbose is refused for {sorted(NO_VERBOSE & set(args.sets))}: read them in aggregate only")
    started = time.perf_counter()
    store = EmbeddedStore(None)
    init(store)
    t0 = time.perf_counter()
    index = build_index(store)
    built = time.perf_counter() - t0
    anchor = Anchor(index)
    results = {name: evaluate(index, load_questions(SETS[name][0]), anchor.rank) for name in args.sets}
    print(f"date {dt.date.today().isoformat()}  commit {commit()}  sets {', '.join(args.sets)}\n")
    print_table(results)
    times = [o.seconds * 1000 for outcomes in results.values() for o in outcomes]
    print(
        f"\nindex build: {built * 1000:.0f} ms; one uncached resolve: median {statistics.median(times):.2f} ms "
        f"(max {max(times):.2f} ms, {len(times)} questions); whole run {time.perf_counter() - started:.1f} s"
    )
    if args.verbose:
        for name, outcomes in results.items():
            print(f"\n## misses at top-1: {name}")
            print_misses(outcomes)


if __name__ == "__main__":
    main()
