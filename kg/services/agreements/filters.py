"""The register's filters: a filter keeps only the instruments that have its value, and a code no scheme of
the store knows is refused (naming the known ones) rather than answered with an empty or a wrong list. The
known codes are read from the RDF (filter-codes.rq), never from a Python list."""

from __future__ import annotations

from kg import queries
from kg.store import Store

VOCABS = {"status": "statuses", "kind": "kinds", "topic": "topics", "country": "countries"}


class UnknownCode(ValueError):
    """A filter names a code its scheme does not know; the message lists the known codes."""

    def __init__(self, vocab: str, code: str, known: list[str]) -> None:
        self.vocab, self.code, self.known = vocab, code, known
        super().__init__(f"unknown {vocab} {code!r}; known {VOCABS[vocab]}: {', '.join(known)}")


def known_codes(store: Store) -> dict[str, list[str]]:
    """Every code a filter may name, per vocabulary: statuses in life-cycle order, the others sorted."""
    found: dict[str, dict[str, int]] = {v: {} for v in VOCABS}
    for r in store.select(queries.load("filter-codes").text):
        stage = int(r["stage"]) if r["stage"] is not None else 99
        found[str(r["vocab"])][str(r["code"])] = stage
    return {v: sorted(codes, key=lambda c: (codes[c], c)) for v, codes in found.items()}


def check(store: Store, known: dict[str, list[str]] | None = None, **given: str | None) -> None:
    """Raise UnknownCode for the first given filter (status, kind, topic, country) whose code is unknown;
    country codes are compared upper-cased, as the list query does. `known`: known_codes(store), if the
    caller holds it already."""
    wanted = {v: (c.upper() if v == "country" else c) for v, c in given.items() if c}
    if not wanted:
        return
    known = known if known is not None else known_codes(store)
    for vocab in VOCABS:
        code = wanted.get(vocab)
        if code is not None and code not in known[vocab]:
            raise UnknownCode(vocab, code, known[vocab])
