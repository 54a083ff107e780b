"""Imports over HTTP: an RDF document or a legal text, through `load_files` (the gate), or an agreement
register (CSV/JSON, kg.services.agreements.import_rows); all or nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rdflib import URIRef

from kg.auth.access import Role
from kg.services import agreements
from kg.services.build import load_files
from kg.services.versions import graphs_version
from kg.store import Store
from loaders.legal_text import LegalTextError
from loaders.rdf_files import RdfFileError
from loaders.register import RegisterError, read_rows
from vocab.namespaces import (
    AGREEMENTS_PUBLIC_GRAPH,
    AGREEMENTS_RESTRICTED_GRAPH,
    HISTORY_GRAPH,
    HISTORY_RESTRICTED_GRAPH,
    LEGAL_GRAPH_PREFIX,
    REFERENCE_GRAPH,
)

SUFFIXES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
    "application/ld+json": ".jsonld",
    "application/trig": ".trig",
    "application/n-quads": ".nq",
    "text/markdown": ".md",
}


# agreement registers (loaders.register): negotiators may import them
REGISTER_SUFFIXES = {"text/csv": ".csv", "application/json": ".json"}
MEDIA_TYPES = {**SUFFIXES, **REGISTER_SUFFIXES}
_REGISTER_GRAPHS = {AGREEMENTS_PUBLIC_GRAPH, AGREEMENTS_RESTRICTED_GRAPH, HISTORY_GRAPH, HISTORY_RESTRICTED_GRAPH}


class UnsupportedMedia(ValueError):
    pass


def required_role(media_type: str) -> Role:
    """Registers need a negotiator; RDF and legal texts an admin."""
    return Role.negotiator if media_type in REGISTER_SUFFIXES else Role.admin


def importable_graphs(store: Store, readable: Sequence[URIRef] | None = None) -> list[URIRef]:
    """The graphs an import may change (reference data, legal texts, the register and its history),
    among `readable` if given."""
    names = store.graph_names() if readable is None else readable
    return [g for g in names if g == REFERENCE_GRAPH or g in _REGISTER_GRAPHS or str(g).startswith(LEGAL_GRAPH_PREFIX)]


def version(store: Store, readable: Sequence[URIRef] | None = None) -> str:
    """The version (ETag) of the importable data the caller may read (a reader's version does not
    move with restricted instruments)."""
    return graphs_version(store, importable_graphs(store, readable))


def import_document(store: Store, data: bytes, media_type: str, name: str = "upload") -> dict[str, int]:
    suffix = SUFFIXES.get(media_type)
    if suffix is None:
        raise UnsupportedMedia(f"cannot import {media_type!r}; send one of {', '.join(SUFFIXES)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{Path(name).stem or 'upload'}{suffix}"
        path.write_bytes(data)
        with _named(path):
            counts = load_files(store, [path])
    return {Path(k).name: v for k, v in counts.items()}


@contextmanager
def _named(path: Path) -> Iterator[None]:
    """Errors about the temporary file name the upload (upload.ttl), never the server's temporary path."""
    try:
        yield
    except RdfFileError as exc:
        raise RdfFileError(path.name, exc.reason) from None
    except LegalTextError as exc:
        raise LegalTextError(path.name, exc.line, exc.reason) from None
    except RegisterError as exc:
        raise RegisterError(path.name, exc.problems) from None


def import_register(store: Store, data: bytes, media_type: str, *, by: str, name: str = "upload") -> dict:
    """Import an agreement register (CSV or JSON) sent as bytes: all rows or none (RegisterError
    lists every bad row and column; WriteRejected the SHACL violations)."""
    suffix = REGISTER_SUFFIXES.get(media_type)
    if suffix is None:
        raise UnsupportedMedia(f"not a register: {media_type!r}; send one of {', '.join(REGISTER_SUFFIXES)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{Path(name).stem or 'upload'}{suffix}"
        path.write_bytes(data)
        with _named(path):
            rows = read_rows(path)
    return agreements.import_rows(store, rows, source=path.name, by=by).as_dict()
