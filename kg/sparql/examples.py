"""The project's named queries that a person can run as they are on the SPARQL page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.queries import load
from kg.sparql.guard import QueryRefused, check
from vocab.paths import QUERIES_DIR


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    text: str


def examples(directory: Path = QUERIES_DIR) -> list[Example]:
    """The named queries a person can run as they are on the SPARQL page: read-only, no parameter to
    bind; described by their leading comment."""
    out = []
    for path in sorted(directory.glob("*.rq")):
        q = load(path.stem, directory)
        if q.params:
            continue
        try:
            check(q.text, 1_000_000)
        except QueryRefused:
            continue
        comment = []
        for line in q.text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").strip())
        out.append(Example(q.name, " ".join(comment), q.text))
    return out
