"""The remote backend: the Store interface over any SPARQL 1.1 Query/Update server (httpx).

Parameters are bound by a VALUES clause at the start of the query's WHERE group; a write is one
update request (one transaction on the server). The store's generation lives in the store itself
(graph/meta), bumped by every write in the same request, so every API process sees every write.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg import queries
from kg.store.base import Graphs, Params, QueryError, QueryTimeout, ResultTooLarge, Row, StoreError
from vocab.namespaces import graph
from vocab.terms import Quad

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


# comments, strings and IRIs of the project's own queries (never a caller's: those go through kg.sparql.guard)
_MASK = re.compile(
    r"""#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>""",
    re.DOTALL,
)


def masked(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length, so positions still match)."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), query)


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
    def post_query(
        self, query: str, accept: str, graphs: Sequence[str], timeout: float | None = None, max_bytes: int | None = None
    ) -> bytes:
        """POST a query; with `max_bytes`, the answer is read in chunks and refused past that size, and the
        whole exchange (not each read) is bounded by `timeout`."""
        pairs = [("query", query)] + [(k, g) for g in graphs for k in ("default-graph-uri", "named-graph-uri")]
        body = urlencode(pairs).encode()
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        deadline = time.monotonic() + timeout if timeout else None
        try:
            with self._http.stream(
                "POST", self.endpoint, content=body, headers=headers, **({"timeout": timeout} if timeout else {})
            ) as r:
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ResultTooLarge(
                            f"the answer is over {max_bytes} bytes (DCIKG_MAX_RESULT_BYTES): narrow the query"
                        )
                    if deadline is not None and time.monotonic() > deadline:
                        raise QueryTimeout("the SPARQL server did not answer within the time limit")
                    chunks.append(chunk)
                content = b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"the SPARQL server did not answer within the time limit: {exc}") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {self.endpoint} is unreachable: {exc}") from exc
        text = content.decode("utf-8", errors="replace").strip()
        if r.status_code == 400:
            raise QueryError(text or "the SPARQL server refused the query")
        if r.status_code >= 300:
            raise StoreError(f"the SPARQL server answered {r.status_code}: {text[:500]}")
        return content

    def _dataset(self, graphs: Graphs) -> list[str]:
        chosen = self.graph_names() if graphs is None else graphs
        return [str(g) for g in chosen] or ["urn:x-dcikg:no-graph"]

    def _results(self, query: str, params: Params, graphs: Graphs) -> dict:
        body = self.post_query(bind(query, params), "application/sparql-results+json", self._dataset(graphs))
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
        body = self.post_query(bind(query, params), "application/n-triples", self._dataset(graphs))
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
        body = self.post_query(
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
