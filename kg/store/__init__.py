"""The store: its contract (kg.store.base) and its backends, embedded (kg.store.embedded, pyoxigraph, on
disk or in memory) and remote (kg.store.remote, any SPARQL 1.1 Query/Update server); kg.store.open opens
the one the settings name."""

from kg.store.base import Expect, Graphs, QueryError, Row, Store, StoreError, WriteConflict, dataset_quads
from kg.store.embedded import EmbeddedStore

__all__ = [
    "EmbeddedStore",
    "Expect",
    "Graphs",
    "QueryError",
    "Row",
    "Store",
    "StoreError",
    "WriteConflict",
    "dataset_quads",
]
