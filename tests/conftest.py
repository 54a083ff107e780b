"""Shared fixtures: a real embedded store built from the bundled data (in memory)."""

from __future__ import annotations

import pytest

from kg.build import init
from kg.store import EmbeddedStore


@pytest.fixture(scope="session")
def built_store() -> EmbeddedStore:
    """The bundled knowledge base, built once through the gate; tests must not write to it."""
    store = EmbeddedStore(None)
    init(store)
    return store


@pytest.fixture
def fresh_store(built_store: EmbeddedStore) -> EmbeddedStore:
    """A private copy of the bundled knowledge base, for tests that write."""
    store = EmbeddedStore(None)
    store.bulk_add(built_store.quads())
    return store
