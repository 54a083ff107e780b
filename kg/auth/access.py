"""Who may read and write what: roles, and the named graphs each role may read."""

from __future__ import annotations

from enum import StrEnum

from rdflib import URIRef

from kg.store import Store
from vocab.namespaces import RESTRICTED_GRAPHS


class Role(StrEnum):
    reader = "reader"
    negotiator = "negotiator"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @property
    def cleared(self) -> bool:
        """May read restricted instruments."""
        return self.at_least(Role.negotiator)


class GraphAccess:
    """The graphs a role may read, recomputed when the store changes (its generation)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: tuple[int, list[URIRef], list[URIRef]] | None = None

    def readable(self, role: Role) -> list[URIRef]:
        gen = self.store.generation
        if self._cache is None or self._cache[0] != gen:
            names = self.store.graph_names()
            self._cache = (gen, names, [g for g in names if g not in RESTRICTED_GRAPHS])
        return self._cache[1] if role.cleared else self._cache[2]
