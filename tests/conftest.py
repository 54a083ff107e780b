"""Shared fixtures: a real embedded store built from the bundled data (in memory, built once)."""

from __future__ import annotations

import pytest

from kg.build import init
from kg.store import EmbeddedStore


@pytest.fixture(scope="session")
def built_store() -> EmbeddedStore:
    """The bundled knowledge base in an in-memory store; tests must not write to it."""
    store = EmbeddedStore(None)
    init(store)
    return store


@pytest.fixture
def fresh_store() -> EmbeddedStore:
    """A new in-memory store with the bundled data, for tests that write."""
    store = EmbeddedStore(None)
    init(store)
    return store


@pytest.fixture
def store_copy(built_store: EmbeddedStore) -> EmbeddedStore:
    """A writable in-memory copy of the bundled knowledge base (cheaper than a new init)."""
    store = EmbeddedStore(None)
    store.bulk_add(built_store.quads())
    return store
