"""Imports over HTTP: an RDF document or a legal text, through `load_files` (the gate), all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import URIRef

from kg.build import load_files
from kg.namespaces import LEGAL_GRAPH_PREFIX, REFERENCE_GRAPH
from kg.store import Store
from kg.versions import graphs_version

SUFFIXES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
    "application/ld+json": ".jsonld",
    "application/trig": ".trig",
    "application/n-quads": ".nq",
    "text/markdown": ".md",
}


class UnsupportedMedia(ValueError):
    pass


def importable_graphs(store: Store) -> list[URIRef]:
    """The graphs an admin import may change: reference data and legal texts."""
    return [g for g in store.graph_names() if g == REFERENCE_GRAPH or str(g).startswith(LEGAL_GRAPH_PREFIX)]


def version(store: Store) -> str:
    return graphs_version(store, importable_graphs(store))


def import_document(store: Store, data: bytes, media_type: str, name: str = "upload") -> dict[str, int]:
    suffix = SUFFIXES.get(media_type)
    if suffix is None:
        raise UnsupportedMedia(f"cannot import {media_type!r}; send one of {', '.join(SUFFIXES)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{Path(name).stem or 'upload'}{suffix}"
        path.write_bytes(data)
        counts = load_files(store, [path])
    return {Path(k).name: v for k, v in counts.items()}
