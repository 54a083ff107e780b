"""Opening the configured store: embedded on disk (default), in memory, or read-only beside a writer."""

from __future__ import annotations

from pathlib import Path

from kg.settings import Settings, get_settings
from kg.store import EmbeddedStore, Store, StoreError


def open_store(path: Path | None = None, *, write: bool = False, memory: bool = False) -> Store:
    if memory:
        return EmbeddedStore(None)
    path = path or get_settings().store
    try:
        return EmbeddedStore(path)
    except StoreError:
        if write or not path.exists():
            raise
        # another process (the API server) owns the store: reads open beside it, as of now
        return EmbeddedStore(path, read_only=True)


def open_configured(settings: Settings) -> Store:
    """The store the settings name: a remote SPARQL server (DCIKG_SPARQL_ENDPOINT), else the embedded one."""
    if settings.sparql_endpoint:
        from kg.store.remote import RemoteStore

        return RemoteStore(
            settings.sparql_endpoint, settings.sparql_update_endpoint, lock_dir=settings.lock_dir,
            path=settings.owned_store,
        )  # fmt: skip
    return EmbeddedStore(settings.store)
