"""Helpers shared by the legal-text parser's tests: an organisation's IRI, a unit found by its French name."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from vocab.namespaces import ID


def org(key: str) -> URIRef:
    return ID[f"org/{key}"]


def named(g: Graph, name: str) -> URIRef:
    found = {s for s, label in g.subject_objects(SKOS.prefLabel) if str(label) == name and label.language == "fr"}
    assert len(found) == 1, f"{name!r}: {found}"
    return found.pop()
