"""The remote backend: the Store interface over any SPARQL 1.1 Query/Update server (httpx).

Parameters are bound by a VALUES clause at the start of the query's WHERE group; a write is one
update request (one transaction on the server). The store's generation lives in the store itself
(graph/meta), bumped by every write in the same request, so every API process sees every write.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg import queries
from kg.namespaces import graph
from kg.sparql import Answer, Form, Format, QueryRefused, QueryTimeout, masked
from kg.store import Graphs, Params, QueryError, Row, StoreError
from kg.terms import Quad

META_GRAPH = graph("meta")


def _term(b: dict) -> Identifier:
    kind = b["type"]
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    if dt is None or dt == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(b["value"])
    return Literal(b["value"], datatype=URIRef(dt))


def bind(query: str, params: Params) -> str:
    """The query with its parameters bound by a VALUES clause opening its WHERE group."""
    values = {k: v for k, v in (params or {}).items() if v is not None}
    if not values:
        return query
    plain = masked(query)
    upper = plain.upper()
    where = upper.find("WHERE")
    start = where if where >= 0 else 0
    brace = plain.find("{", start)
    if brace < 0:
        raise QueryError("cannot bind parameters: no WHERE group")
    names = sorted(values)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(values[n].n3() for n in names)}) }} "
    return query[: brace + 1] + block + query[brace + 1 :]


class RemoteStore:
    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.path = None
        self._http = httpx.Client(timeout=timeout)
        self._graphs: tuple[int, list[URIRef]] | None = None

    # -- plumbing --------------------------------------------------------------------------------
    def _post_query(self, query: str, accept: str, graphs: Sequence[str], timeout: float | None = None) -> bytes:
        pairs = [("query", query)] + [(k, g) for g in graphs for k in ("default-graph-uri", "named-graph-uri")]
        body = urlencode(pairs).encode()
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            r = self._http.post(
                self.endpoint, content=body, headers=headers, **({"timeout": timeout} if timeout else {})
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"the SPARQL server did not answer within the time limit: {exc}") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {self.endpoint} is unreachable: {exc}") from exc
        if r.status_code == 400:
            raise QueryError(r.text.strip() or "the SPARQL server refused the query")
        if r.status_code >= 300:
            raise StoreError(f"the SPARQL server answered {r.status_code}: {r.text.strip()[:500]}")
        return r.content

    def _dataset(self, graphs: Graphs) -> list[str]:
        chosen = self.graph_names() if graphs is None else graphs
        return [str(g) for g in chosen] or ["urn:x-dcikg:no-graph"]

    def _results(self, query: str, params: Params, graphs: Graphs) -> dict:
        body = self._post_query(bind(query, params), "application/sparql-results+json", self._dataset(graphs))
        return json.loads(body)

    def _update(self, update: str) -> None:
        bump = queries.load("bump-generation").text
        text = f"{update} ;\n{bump}" if update else bump
        try:
            r = self._http.post(
                self.update_endpoint, content=text.encode(), headers={"Content-Type": "application/sparql-update"}
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {self.update_endpoint} is unreachable: {exc}") from exc
        if r.status_code >= 300:
            raise StoreError(f"the SPARQL update was refused ({r.status_code}): {r.text.strip()[:500]}")

    # -- the Store interface ---------------------------------------------------------------------
    @property
    def generation(self) -> int:
        rows = self._results(queries.load("store-generation").text, None, [META_GRAPH])["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows else 0

    def select(self, query: str, params: Params = None, graphs: Graphs = None) -> list[Row]:
        res = self._results(query, params, graphs)
        if "results" not in res:
            raise QueryError("not a SELECT query")
        names = res["head"]["vars"]
        return [{n: (_term(b[n]) if n in b else None) for n in names} for b in res["results"]["bindings"]]

    def ask(self, query: str, params: Params = None, graphs: Graphs = None) -> bool:
        res = self._results(query, params, graphs)
        if "boolean" not in res:
            raise QueryError("not an ASK query")
        return bool(res["boolean"])

    def construct(self, query: str, params: Params = None, graphs: Graphs = None) -> Graph:
        body = self._post_query(bind(query, params), "application/n-triples", self._dataset(graphs))
        return Graph().parse(data=body.decode("utf-8"), format="nt")

    def apply(self, add: Iterable[Quad], remove: Iterable[Quad] = ()) -> None:
        parts = []
        remove, add = list(remove), list(add)
        if remove:
            parts.append("DELETE DATA { " + " ".join(_quad(q) for q in remove) + " }")
        if add:
            parts.append("INSERT DATA { " + " ".join(_quad(q) for q in add) + " }")
        self._update(" ;\n".join(parts))

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        self.apply(quads)

    def drop_graph(self, graph: URIRef) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}>")

    def quads(self, graph: URIRef | None = None) -> list[Quad]:
        graphs = [graph] if graph is not None else self.graph_names()
        if not graphs:
            return []
        values = " ".join(g.n3() for g in graphs)
        q = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        return [(r["s"], r["p"], r["o"], r["g"]) for r in self.select(q, graphs=graphs)]

    def count(self, graph: URIRef | None = None) -> int:
        graphs = [graph] if graph is not None else self.graph_names()
        if not graphs:
            return 0
        values = " ".join(g.n3() for g in graphs)
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        return int(self.select(q, graphs=graphs)[0]["n"])

    def graph_names(self) -> list[URIRef]:
        body = self._post_query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json", []
        )
        names = {URIRef(b["g"]["value"]) for b in json.loads(body)["results"]["bindings"]}
        return sorted(names - {META_GRAPH})

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._http.close()


def _quad(q: Quad) -> str:
    s, p, o, g = q
    triple = f"{s.n3()} {p.n3()} {o.n3()} ."
    return triple if g is None else f"GRAPH {g.n3()} {{ {triple} }}"


class RemoteRunner:
    """/sparql over a remote store: the query is forwarded with the caller's dataset and the limits."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    async def run(
        self, query: str, form: Form, fmt: Format, graphs: Sequence[URIRef], timeout: float, max_rows: int
    ) -> Answer:
        return await asyncio.to_thread(self.forward, query, form, fmt, graphs, timeout, max_rows)

    def forward(
        self, query: str, form: Form, fmt: Format, graphs: Sequence[URIRef], timeout: float, max_rows: int
    ) -> Answer:
        names = [str(g) for g in graphs]
        if form in ("SELECT", "ASK"):
            try:
                body = self.store._post_query(query, fmt.media_type, names, timeout)
            except QueryError as exc:
                raise QueryRefused(str(exc)) from exc
            return Answer(fmt.media_type, body)
        try:
            body = self.store._post_query(query, "application/n-triples", names, timeout)
        except QueryError as exc:
            raise QueryRefused(str(exc)) from exc
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        triples = list(itertools.islice((q.triple for q in quads), max_rows + 1))
        out = ox.serialize(triples[:max_rows], format=getattr(ox.RdfFormat, fmt.name))
        return Answer(fmt.media_type, out, len(triples) > max_rows)

    def close(self) -> None:
        pass
