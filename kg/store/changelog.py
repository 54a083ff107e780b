"""The change log of a remote store with no local owner (a local owner's processes log in a file of their host,
kg/store/genfile.py), kept in the store itself (graph/meta).

Every write through RemoteStore makes a new random generation in the same request. Its record
(`urn:x-dcikg:change/<hex>`) carries the generation it made, the generation it replaced (linked by the write's
first operation, on the server, so two processes' writes cannot both claim to follow the same one unseen), when
it was logged, and the subjects, predicates and graphs it touched, or "unknown" past MAX_TERMS. A process holding
a model at an older generation walks the links back from the current one: when the walk reaches its generation
through records that all say what they touched, with no write forking off the way, it reads again only that;
otherwise (a record pruned, a write made by a client that logs nothing, a fork) the answer is "unknown" and it
rebuilds, never "nothing changed". A record linked to no generation follows generation 0 (the store had
none: `generation` reads 0). Records older than KEEP_SECONDS are pruned."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from rdflib import Literal, URIRef

from kg.queries import updates
from kg.store.base import Change
from vocab.namespaces import DCI, META_GRAPH

CHANGE_PREFIX = "urn:x-dcikg:change/"
MAX_TERMS = 5000  # a write touching more subjects than this is logged as unknown (a reader rebuilds anyway)
KEEP_SECONDS = 3600  # records older than this are pruned: a process idle that long rebuilds
PRUNE_EVERY = 50  # writes of one process between two prunes


def change_iri(generation: int) -> str:
    return f"{CHANGE_PREFIX}{generation:x}"


def record(generation: int, change: Change | None, now: float | None = None) -> list[updates.TermQuad]:
    """The quads of one write's record (the link to the generation it replaced is made on the server)."""
    c, g = URIRef(change_iri(generation)).n3(), META_GRAPH.n3()
    logged = int(time.time() if now is None else now)
    facts = [(DCI.changeGeneration, Literal(generation)), (DCI.loggedAt, Literal(logged))]
    if change is None or len(change.subjects) > MAX_TERMS:
        facts.append((DCI.changeUnknown, Literal(True)))
    else:
        for predicate, terms in (
            (DCI.touchedSubject, change.subjects),
            (DCI.touchedPredicate, change.predicates),
            (DCI.touchedGraph, change.graphs),
        ):
            facts += [(predicate, URIRef(t)) for t in sorted(terms)]
    return [(c, p.n3(), o.n3(), g) for p, o in facts]


def path(links: Iterable[tuple[str, int, int | None, bool]], since: int, now: int) -> list[str] | None:
    """The records of the writes from generation `since` to `now`, from (record, generation, previous, unknown)
    rows; None when the log cannot say (a link or record missing, a record unknown, or a fork on the way)."""
    by_generation: dict[int, tuple[str, int | None, bool]] = {}
    successors: dict[int, int] = {}
    for rec, gen, prev, unknown in links:
        if gen in by_generation:
            return None  # two records for one generation: the log is not to be trusted
        by_generation[gen] = (rec, prev, unknown)
        if prev is not None:
            successors[prev] = successors.get(prev, 0) + 1
    out: list[str] = []
    gen = now
    while gen != since:
        found = by_generation.get(gen)
        if found is None or found[2] or found[1] is None:
            return None
        rec, prev, _unknown = found
        if successors.get(prev, 0) != 1:
            return None  # another write also followed `prev`: one of the two is not on this path
        out.append(rec)
        gen = prev
        if len(out) > len(by_generation):
            return None  # a cycle (random generations repeating): never loop
    return out


def merged(rows: Sequence[dict]) -> Change:
    """One Change from the (kind, term) rows of change-terms.rq."""
    found: dict[str, set[str]] = {"s": set(), "p": set(), "g": set()}
    for r in rows:
        found[str(r["kind"])].add(str(r["term"]))
    return Change(frozenset(found["s"]), frozenset(found["p"]), frozenset(found["g"]))
