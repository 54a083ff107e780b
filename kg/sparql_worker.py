"""A SPARQL worker process: runs one query at a time on its own view of the store, serialises the
answer with pyoxigraph's own serialisers. It imports nothing but pyoxigraph, so it starts fast."""

from __future__ import annotations

import itertools
import time
from multiprocessing.connection import Connection

import pyoxigraph as ox

_PREFIXES = {
    "dci": "https://w3id.org/dci-kg/ontology#",
    "id": "https://w3id.org/dci-kg/id/",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _open(source: tuple) -> ox.Store:
    kind, value = source
    if kind == "path":
        for attempt in range(20):  # the writer may be compacting while we open: try again
            try:
                return ox.Store.read_only(value)
            except (OSError, RuntimeError):
                if attempt == 19:
                    raise
                time.sleep(0.02)
    store = ox.Store()
    store.bulk_load(value, format=ox.RdfFormat.N_QUADS)
    return store


def answer(store: ox.Store, message: dict) -> tuple:
    graphs = [ox.NamedNode(g) for g in message["graphs"]]
    try:
        result = store.query(message["query"], default_graph=graphs, named_graphs=graphs)
        if isinstance(result, ox.QueryTriples):
            fmt = getattr(ox.RdfFormat, message["format"])
            triples = list(itertools.islice(result, message["max_rows"] + 1))
            truncated = len(triples) > message["max_rows"]
            body = ox.serialize(triples[: message["max_rows"]], format=fmt, prefixes=_PREFIXES)
            return ("ok", body, truncated)
        fmt = getattr(ox.QueryResultsFormat, message["format"])
        return ("ok", result.serialize(format=fmt), False)
    except SyntaxError as exc:
        return ("error", f"SPARQL syntax error: {exc}")
    except (OSError, ValueError) as exc:
        return ("error", str(exc))


def main(conn: Connection) -> None:
    store: ox.Store | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        if message["source"] is not None or store is None:
            store = _open(message["source"])
        conn.send(answer(store, message))
