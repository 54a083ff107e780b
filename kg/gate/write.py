"""The gate's one entry: validate a batch, then commit it in one transaction, or change nothing."""

from __future__ import annotations

from rdflib import BNode, Literal

from kg.gate.affected import affected
from kg.gate.batch import batch_graph, batch_store, focus_nodes
from kg.gate.engine import check
from kg.settings import get_settings
from kg.store import Store
from vocab.terms import Quad, quads_to_ox


def commit(
    store: Store, add: list[Quad], remove: list[Quad] = (), *, whole: bool = False, engine_name: str | None = None
) -> None:
    """Validate then write. `whole=True` validates every node of the resulting graph (bulk loads); else the
    nodes the batch touches and those it can break (kg.gate.affected: the referrers of what it removes, the
    instances of a class it moves), each over its neighbourhood."""
    add, remove = list(add), list(remove)
    focus = focus_nodes(add, remove)
    if not whole:
        focus += affected(store, add, remove, focus)
    name = engine_name or get_settings().shacl_engine
    wanted = None if whole else [n for n in focus if not isinstance(n, Literal | BNode)]
    if name == "turbo":
        add_ox, remove_ox = list(quads_to_ox(add)), list(quads_to_ox(remove))  # converted once, for both uses
        check(batch_store(store, add_ox, remove_ox, focus, whole), wanted, engine_name=name)
        store.write(add_ox, remove_ox)
        return
    # pyshacl (the reference engine) reads rdflib graphs
    check(batch_graph(store, add, remove, focus, whole), wanted, engine_name=name)
    store.apply(add, remove)
