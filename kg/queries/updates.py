"""The SPARQL Update forms the store backends write with, built from terms already in N-Triples syntax
(rdflib's `n3()`, pyoxigraph's `str()`: both serialisers escape what must be escaped). With
kg.queries.bind, the only place where values become SPARQL text."""

from __future__ import annotations

from collections.abc import Iterable

TermQuad = tuple[str, str, str, str | None]  # subject, predicate, object, graph (None: the default graph)


def quad_pattern(s: str, p: str, o: str, g: str | None) -> str:
    triple = f"{s} {p} {o} ."
    return triple if g is None else f"GRAPH {g} {{ {triple} }}"


def data_update(add: Iterable[TermQuad] = (), remove: Iterable[TermQuad] = (), drop: Iterable[str] = ()) -> str:
    """One update: drop whole graphs, delete then insert quads (empty parts left out)."""
    parts = [f"DROP SILENT GRAPH {g}" for g in drop]
    removed = " ".join(quad_pattern(*q) for q in remove)
    if removed:
        parts.append(f"DELETE DATA {{ {removed} }}")
    added = " ".join(quad_pattern(*q) for q in add)
    if added:
        parts.append(f"INSERT DATA {{ {added} }}")
    return " ;\n".join(parts)
