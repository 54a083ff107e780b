"""The rdflib-endpoint peer: an N-Quads file loaded into an rdflib Dataset (default graph = union of the
graphs, like the other two servers) and served at /sparql by rdflib-endpoint under uvicorn.

    python -m bench.rdflib_peer data.nq 8002        # needs the `bench` extra (rdflib-endpoint)
"""

from __future__ import annotations

import sys

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(argv: list[str]) -> None:
    path, port = argv[0], int(argv[1])
    ds = Dataset(default_union=True)
    ds.parse(path, format="nquads")
    app = SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
