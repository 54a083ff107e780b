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


def guarded_update(
    add: Iterable[TermQuad],
    remove: Iterable[TermQuad],
    held: Iterable[tuple[str, str, str]],
    absent: Iterable[tuple[str, str]],
) -> str:
    """One DELETE/INSERT whose WHERE has a single solution when every `held` (subject, predicate, value)
    is in some graph and no `absent` (subject, predicate) has any value, and none otherwise: the server
    checks the condition and writes in the same operation, or writes nothing. The templates must be
    ground (no blank nodes)."""
    held, absent = list(held), list(absent)
    guards = []
    if held:
        rows = " ".join(f"({s} {p} {v})" for s, p, v in held)
        guards.append(
            f"FILTER NOT EXISTS {{ VALUES (?s ?p ?v) {{ {rows} }} FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?v }} }} }}"
        )
    if absent:
        rows = " ".join(f"({s} {p})" for s, p in absent)
        guards.append(f"FILTER NOT EXISTS {{ VALUES (?s ?p) {{ {rows} }} GRAPH ?g {{ ?s ?p ?any }} }}")
    removed = " ".join(quad_pattern(*q) for q in remove)
    added = " ".join(quad_pattern(*q) for q in add)
    return f"DELETE {{ {removed} }} INSERT {{ {added} }} WHERE {{ {' '.join(guards)} }}"
