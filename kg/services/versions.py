"""Versions of resources and graphs, as hashes of their triples: the ETags of every write endpoint.

A version changes exactly when the triples change, whichever process or backend wrote them, so a
client's `If-Match` is checked against the data itself, not against a counter of one process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from rdflib import URIRef

from kg import queries
from kg.store import Store


class VersionMismatch(Exception):
    """The caller's If-Match names a version the resource is no longer at (412)."""

    def __init__(self, if_match: str, now: str) -> None:
        super().__init__(f'the resource changed (now "{now}", you sent If-Match: {if_match}); re-read it')
        self.now = now


def matches(if_match: str, version: str) -> bool:
    """Whether an If-Match header (a list of entity tags, or *) names `version`."""
    tags = [t.strip() for t in if_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == f'"{version}"' for t in tags)


def _hash(lines: Iterable[str]) -> str:
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()[:32]


def resource_version(store: Store, iri: URIRef) -> str:
    """The version of one resource: its own triples, in every graph."""
    q = queries.load("resource-triples")
    rows = store.select(q.inline(resource=iri))
    return _hash(f"{r['g'].n3()} {r['p'].n3()} {r['o'].n3()}" for r in rows)


def quads_version(quads: Iterable[tuple]) -> str:
    """The version of a set of quads (one instrument and its history, say)."""
    return _hash(f"{g.n3()} {s.n3()} {p.n3()} {o.n3()}" for s, p, o, g in quads)


def graphs_version(store: Store, graphs: Sequence[URIRef]) -> str:
    """The version of a set of named graphs (what an import may change)."""
    return _hash(f"{g.n3()} {s.n3()} {p.n3()} {o.n3()}" for g in sorted(graphs) for s, p, o, _ in store.quads(g))
