"""The gate's one entry: validate a batch, then commit it in one transaction, or change nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import BNode, Literal

from kg.gate.affected import affected
from kg.gate.batch import batch_graph, batch_input, focus_nodes
from kg.gate.engine import WriteRejected, check
from kg.settings import get_settings
from kg.store import Expect, Store, WriteConflict
from vocab.terms import Quad, quads_to_ox


def commit(
    store: Store,
    add: list[Quad],
    remove: list[Quad] = (),
    *,
    whole: bool = False,
    engine_name: str | None = None,
    expect: Sequence[Expect] = (),
    bookkeeping: Sequence[Quad] = (),
) -> None:
    """Validate then write. `whole=True` validates every node of the resulting graph (bulk loads); else the
    nodes the batch touches and those it can break (kg.gate.affected: the referrers of what it removes, the
    instances of a class it moves), each over its neighbourhood. `expect`: the write's condition, checked
    by the store where it writes (WriteConflict). `bookkeeping`: the store's own records (a pending
    derivation), written in the same transaction but not data to validate."""
    add, remove = list(add), list(remove)
    focus = focus_nodes(add, remove)
    if not whole:
        focus += affected(store, add, remove, focus)
    name = engine_name or get_settings().shacl_engine
    wanted = None if whole else [n for n in focus if not isinstance(n, Literal | BNode)]
    if name == "turbo":
        add_ox, remove_ox = list(quads_to_ox(add)), list(quads_to_ox(remove))  # converted once, for both uses
        _checked(
            store, expect, lambda: check(batch_input(store, add_ox, remove_ox, focus, whole), wanted, engine_name=name)
        )
        store.write(add_ox + list(quads_to_ox(bookkeeping)), remove_ox, expect)
        return
    # pyshacl (the reference engine) reads rdflib graphs
    _checked(store, expect, lambda: check(batch_graph(store, add, remove, focus, whole), wanted, engine_name=name))
    store.apply(add + list(bookkeeping), remove, expect)


def _checked(store: Store, expect: Sequence[Expect], validate: Callable[[], None]) -> None:
    """Validate; a batch planned on a state another writer has changed since can look invalid (two statuses),
    and that is the lost race (WriteConflict), not bad data."""
    try:
        validate()
    except WriteRejected:
        broken = store.broken(expect) if expect else []
        if broken:
            raise WriteConflict.about(broken) from None
        raise
