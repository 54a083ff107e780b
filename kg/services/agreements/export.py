"""The register out again: rows in the import's columns, or Turtle."""

from __future__ import annotations

from rdflib import URIRef

from kg.services.agreements.imports import instrument_quads
from kg.services.agreements.reads import list_instruments, show
from kg.store import Store


def export_rows(store: Store, *, include_restricted: bool = False) -> list[dict[str, str]]:
    """The register as rows (the import format): exporting then importing changes nothing."""
    from loaders.register import COLUMNS

    out = []
    for item in list_instruments(store, include_restricted=include_restricted, limit=None)["items"]:
        d = show(store, item["id"], include_restricted=include_restricted)
        row = {c: "" for c in COLUMNS}
        for c in COLUMNS:
            v = d.get(c)
            if isinstance(v, list):
                row[c] = ";".join(v)
            elif v is not None:
                row[c] = str(v)
        row["parent_id"] = d.get("parent_id") or ""
        row["status"] = d.get("status") or ""
        out.append(row)
    return out


def export_turtle(store: Store, *, include_restricted: bool = False) -> str:
    """The instruments and their history as Turtle."""
    from rdflib import Graph

    from vocab.namespaces import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for item in list_instruments(store, include_restricted=include_restricted, limit=None)["items"]:
        for s, p, o, _g in instrument_quads(store, URIRef(item["iri"])):
            g.add((s, p, o))
    return g.serialize(format="turtle")
