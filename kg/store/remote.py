"""The remote backend: the Store interface over any SPARQL 1.1 Query/Update server (httpx).

Parameters are bound by a VALUES clause at the start of the query's WHERE group; a write is one
update request (one transaction on the server). The store's generation lives in the store itself
(graph/meta), bumped by every write in the same request, so every API process sees every write.
"""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from kg import queries
from kg.queries import updates
from kg.store import changelog
from kg.store.base import (
    Change,
    Expect,
    Graphs,
    OxGraph,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    Row,
    StoreError,
    WriteConflict,
    holds,
)
from kg.store.genfile import GenerationFile, generation_path
from kg.store.locks import host_lock
from vocab.namespaces import DCI, GRAPH_PREFIX, ID, META_GRAPH
from vocab.terms import Quad, from_ox, quads_to_ox, to_ox

UPDATE_CHUNK = 1000  # triples per INSERT DATA / DELETE DATA operation (Virtuoso refuses large ones)
STORE_IRI = ID.store  # its dci:generation: a random number every write replaces (graph/meta)
NO_GRAPH = "urn:x-dcikg:no-graph"  # the dataset of a caller who may read no graph: a graph that never exists
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
VIRTUOSO_BNODE = "nodeID://"  # Virtuoso's JSON names blank nodes nodeID://b10001 (its N-Triples: _:b10001)
log = logging.getLogger(__name__)


def _term(b: dict) -> Identifier:
    """A term of SPARQL JSON results, normalised across servers: Virtuoso answers "typed-literal" (the
    2008 format), a blank node as nodeID://…, and an xsd:boolean as "1"/"0"."""
    kind = b["type"]
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        value = b["value"]
        return BNode(value[len(VIRTUOSO_BNODE) :] if value.startswith(VIRTUOSO_BNODE) else value)
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    dt = b.get("datatype")
    if dt is None or dt == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(b["value"])
    if dt == XSD_BOOLEAN and b["value"] in ("0", "1"):
        return Literal("true" if b["value"] == "1" else "false", datatype=URIRef(dt))
    return Literal(b["value"], datatype=URIRef(dt))


class RemoteStore:
    kind = "remote"

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        timeout: float = 30.0,
        lock_dir: Path | None = None,
        path: Path | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.lock_dir = lock_dir or Path(tempfile.gettempdir()) / "dci-kg-locks"
        # the directory the server keeps the data in, when it is a local owner of an embedded store (serve
        # --workers N): /sparql then runs on it read-only in confined workers, killed at the time limit
        self.path = path
        # a local owner's generation is also kept in a file the processes of this host share (kg/store/genfile.py)
        self._genfile = GenerationFile(generation_path(self.lock_dir, self.update_endpoint)) if path else None
        self._http = httpx.Client(timeout=timeout)
        self._graphs: tuple[int, list[URIRef]] | None = None
        self._dataset_kept: bool | None = None
        self._writes = 0  # since this process last pruned the store's change log

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

    def keeps_to_dataset(self) -> bool:
        """Whether the server answers a query from the graphs of its protocol dataset only (what keeps a
        caller's /sparql query off the graphs it may not read). Probed once, on a store that holds a graph:
        an empty dataset must find nothing, a graph that holds data must be found; an empty store cannot
        tell, and is probed again next time."""
        if self._dataset_kept is None:
            probe = queries.load("dataset-probe").text
            leaked = json.loads(self.post_query(probe, "application/sparql-results+json", [NO_GRAPH]))
            if leaked["results"]["bindings"]:
                self._dataset_kept = False
                return False
            # given a graph that holds data, the probe finds it: any of the project's graphs will do (a store
            # bulk-loaded by the server's own tools has no meta graph until a first write)
            held = sorted(str(g) for g in self.graph_names())
            if not held:
                return True  # nothing written yet: nothing to keep apart
            found = json.loads(self.post_query(probe, "application/sparql-results+json", held[:1]))
            if not found["results"]["bindings"]:
                return True  # the graph is listed but empty: asked again next time
            self._dataset_kept = True
        return self._dataset_kept

    def _dataset(self, graphs: Graphs) -> list[str]:
        chosen = self.graph_names() if graphs is None else graphs
        return [str(g) for g in chosen] or [NO_GRAPH]

    def _results(self, query: str, graphs: Graphs) -> dict:
        body = self.post_query(query, "application/sparql-results+json", self._dataset(graphs))
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            # a server that hits its own time limit mid-answer cuts the stream it already started
            raise StoreError(
                f"the SPARQL server at {self.endpoint} sent an answer cut off at byte {len(body)} (its own time limit?)"
            ) from None

    def _update(self, update: str, change: Change | None = None) -> None:
        """One update request, the generation bumped in it; `change` (what it touches) goes to this host's log
        (a local owner's processes), or else to the store's change log in the same request (kg/store/changelog.py)."""
        new = secrets.randbits(62)
        if self._genfile is not None:  # this host's log says what changed: the store needs only the new value
            bump = queries.load("bump-generation").text + " ;\n" + updates.data_update([_GENERATION(new)])
        else:
            link = queries.load("bump-generation-linked").inline(change=URIRef(changelog.change_iri(new)))
            record = updates.data_update([_GENERATION(new), *changelog.record(new, change)], chunk=UPDATE_CHUNK)
            bump = f"{link} ;\n{record}"
        text = f"{bump} ;\n{update}" if update else bump
        try:
            self._post_update(text)
        finally:
            if self._genfile is not None:  # after the request: whoever reads the new value reads the new data
                self._genfile.bump(change)
        if self._genfile is None:
            self._writes += 1
            if self._writes >= changelog.PRUNE_EVERY:
                self._prune()

    def _post_update(self, text: str) -> None:
        try:
            r = self._http.post(
                self.update_endpoint, content=text.encode(), headers={"Content-Type": "application/sparql-update"}
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {self.update_endpoint} is unreachable: {exc}") from exc
        if r.status_code >= 300:
            raise StoreError(f"the SPARQL update was refused ({r.status_code}): {r.text.strip()[:500]}")

    def _prune(self) -> None:
        """The change log's old records go (no generation bump: no project data changes). The write before has
        landed: a failure here is logged, and the next prune tries again."""
        self._writes = 0
        cutoff = Literal(int(time.time()) - changelog.KEEP_SECONDS)
        try:
            self._post_update(queries.load("change-prune").inline(cutoff=cutoff))
        except StoreError as exc:
            log.warning("the change log of %s was not pruned: %s", self.update_endpoint, exc)

    # -- the Store interface ---------------------------------------------------------------------
    @property
    def generation(self) -> int:
        if self._genfile is not None:
            return self._genfile.read()
        rows = self._results(queries.load("store-generation").text, [META_GRAPH])["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows else 0

    def changes(self, since: int, now: int) -> Change | None:
        """What the writes from generation `since` to `now` touched: from this host's log for a local owner's
        processes (kg/store/genfile.py), otherwise from the store's own change log (kg/store/changelog.py);
        None when unknown."""
        if self._genfile is not None:
            return self._genfile.since(since, now)
        if since == now:
            return Change(frozenset(), frozenset())
        # a record linked to no generation was written when the store had none: `generation` then read 0
        links = [
            (str(r["change"]), int(r["gen"]), 0 if r["prev"] is None else int(r["prev"]),
             r["unknown"] is not None and bool(r["unknown"].toPython()))
            for r in self.select(queries.load("change-links").text, graphs=[META_GRAPH])
        ]  # fmt: skip
        records = changelog.path(links, since, now)
        if records is None:
            return None
        rows = []
        for start in range(0, len(records), 500):
            part = [URIRef(c) for c in records[start : start + 500]]
            rows += self.select(queries.load("change-terms").inline(change=part), graphs=[META_GRAPH])
        return changelog.merged(rows)

    def select(self, query: str, graphs: Graphs = None) -> list[Row]:
        res = self._results(query, graphs)
        if "results" not in res:
            raise QueryError("not a SELECT query")
        names = res["head"]["vars"]
        return [{n: (_term(b[n]) if n in b else None) for n in names} for b in res["results"]["bindings"]]

    def ask(self, query: str, graphs: Graphs = None) -> bool:
        res = self._results(query, graphs)
        if "boolean" not in res:
            raise QueryError("not an ASK query")
        return bool(res["boolean"])

    def construct(self, query: str, graphs: Graphs = None) -> Graph:
        body = self.post_query(query, "application/n-triples", self._dataset(graphs))
        return Graph().parse(data=body.decode("utf-8"), format="nt")

    def apply(self, add: Iterable[Quad], remove: Iterable[Quad] = (), expect: Sequence[Expect] = ()) -> None:
        self.write(list(quads_to_ox(add)), list(quads_to_ox(remove)), expect)

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        self.apply(quads)

    def drop_graph(self, graph: URIRef) -> None:
        self._update(updates.data_update(drop=[graph.n3()]))
        self._graphs = None

    def quads(self, graph: URIRef | None = None) -> list[Quad]:
        graphs = [graph] if graph is not None else self.graph_names()
        if not graphs:
            return []
        q = queries.load("graph-quads").inline(g=graphs)
        return [(r["s"], r["p"], r["o"], r["g"]) for r in self.select(q, graphs=graphs)]

    def count(self, graph: URIRef | None = None) -> int:
        graphs = [graph] if graph is not None else self.graph_names()
        if not graphs:
            return 0
        q = queries.load("graph-count").inline(g=graphs)
        return int(self.select(q, graphs=graphs)[0]["n"])

    def graph_names(self) -> list[URIRef]:
        """The project's graphs (under its namespace; graph/meta aside), listed again only when the generation
        moved and the log of this host's writes does not show that no new graph came: listing scans every quad,
        and every read over "all graphs" needs the list for its dataset."""
        generation = self.generation
        if self._graphs is not None and self._graphs[0] != generation:
            # the writes since, where this host logs them: none that wrote to a graph not listed keeps the list
            change = self.changes(self._graphs[0], generation)
            known = {str(g) for g in self._graphs[1]} | {str(META_GRAPH)}
            if change is not None and change.graphs <= known:
                self._graphs = (generation, self._graphs[1])
        if self._graphs is not None and self._graphs[0] == generation:
            return list(self._graphs[1])
        body = self.post_query(queries.load("project-graphs").text, "application/sparql-results+json", [])
        found = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
        names = sorted(URIRef(g) for g in found if g.startswith(GRAPH_PREFIX) and g != str(META_GRAPH))
        self._graphs = (generation, names)
        return list(names)

    def flush(self) -> None:
        pass

    # -- in pyoxigraph terms (the contract's copies and derivations) -----------------------------------
    def triples(self, query: str, graphs: Graphs = None) -> list[ox.Triple]:
        body = self.post_query(query, "application/n-triples", self._dataset(graphs))
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def _quads_ox(self, query: str) -> list[ox.Quad]:
        return [ox.Quad(to_ox(r["s"]), to_ox(r["p"]), to_ox(r["o"]), to_ox(r["g"])) for r in self.select(query)]

    def quads_about(self, node: ox.NamedNode, predicate: ox.NamedNode | None = None) -> list[ox.Quad]:
        n = from_ox(node)
        if predicate is None:
            return self._quads_ox(queries.load("quads-about").inline(n=n))
        return self._quads_ox(queries.load("quads-about-with").inline(n=n, p=from_ox(predicate)))

    def subject_quads(self, nodes: Sequence[ox.NamedNode]) -> list[ox.Quad]:
        subjects = sorted({from_ox(n) for n in nodes})
        out: list[ox.Quad] = []
        for start in range(0, len(subjects), 500):
            out += self._quads_ox(queries.load("subject-quads").inline(s=subjects[start : start + 500]))
        return out

    def quads_with(self, predicate: ox.NamedNode) -> list[ox.Quad]:
        return self._quads_ox(queries.load("quads-with").inline(p=from_ox(predicate)))

    def graph_quads(self, graph: OxGraph) -> list[ox.Quad]:
        if isinstance(graph, ox.DefaultGraph):
            return []  # every write names its graph: the server's default graph is not ours
        return self._quads_ox(queries.load("graph-quads").inline(g=[from_ox(graph)]))

    def all_graphs(self) -> list[OxGraph]:
        return [ox.NamedNode(str(g)) for g in self.graph_names()]

    def present(self, quads: list[ox.Quad]) -> set[ox.Quad]:
        wanted = set(quads)
        subjects = sorted({from_ox(q.subject) for q in wanted if isinstance(q.subject, ox.NamedNode)})
        found: set[ox.Quad] = set()
        for start in range(0, len(subjects), 500):
            text = queries.load("subject-quads").inline(s=subjects[start : start + 500])
            found.update(q for q in self._quads_ox(text) if q in wanted)
        return found

    def write(self, add: list[ox.Quad], remove: list[ox.Quad], expect: Sequence[Expect] = ()) -> None:
        if not expect:
            self._plain_write(add, remove)
            return
        self._conditional(add, remove, expect)

    def _plain_write(self, add: list[ox.Quad], remove: list[ox.Quad]) -> None:
        """Remove then add, in one update request. Blank nodes: DELETE DATA cannot name them, so a graph
        removed whole is dropped instead (as on the embedded store); added ones go in one INSERT template."""
        whole: set = set()
        removed_whole: list[ox.Quad] = []
        if any(_has_bnode(q) for q in remove):
            whole = self._whole_graphs(remove)
            removed_whole = [q for q in remove if q.graph_name in whole]
            remove = [q for q in remove if q.graph_name not in whole]
            if any(_has_bnode(q) for q in remove):
                raise StoreError("cannot remove part of a graph's blank-node triples; replace the whole graph")
        plain = [q for q in add if not _has_bnode(q)]
        blank = [q for q in add if _has_bnode(q)]
        parts = [
            updates.data_update(
                map(_ox_terms, plain), map(_ox_terms, remove), (f"<{g.value}>" for g in whole), chunk=UPDATE_CHUNK
            ),
            *updates.template_insert(map(_ox_terms, blank)),
        ]
        self._update(" ;\n".join(p for p in parts if p), Change.of([*plain, *blank, *remove, *removed_whole]))

    def _whole_graphs(self, remove: list[ox.Quad]) -> set:
        """The named graphs every quad of which is in `remove`."""
        by_graph: dict = {}
        for q in remove:
            if isinstance(q.graph_name, ox.NamedNode):
                by_graph.setdefault(q.graph_name, set()).add(q)
        return {g for g, qs in by_graph.items() if len(qs) == self.count(URIRef(g.value))}

    def broken(self, expect: Sequence[Expect]) -> list[Expect]:
        values = self._values({(e.subject, e.predicate) for e in expect})
        return [e for e in expect if not holds(e, values.get((e.subject, e.predicate), set()))]

    def _values(self, keys: set[tuple]) -> dict[tuple, set]:
        """The values each (subject, predicate) of `keys` has now, in any graph: 500 subjects a query."""
        found: dict[tuple, set] = {}
        subjects = sorted({from_ox(s) for s, _p in keys})
        for start in range(0, len(subjects), 500):
            text = queries.load("subject-quads").inline(s=subjects[start : start + 500])
            for q in self._quads_ox(text):
                if (q.subject, q.predicate) in keys:
                    found.setdefault((q.subject, q.predicate), set()).add(q.object)
        return found

    def _conditional(self, add: list[ox.Quad], remove: list[ox.Quad], expect: Sequence[Expect]) -> None:
        """One DELETE/INSERT … WHERE whose WHERE is the condition, so the server checks and writes in the same
        operation; its INSERT also writes a receipt (graph/meta), read back to tell "written" from
        "condition broken" (an update answers neither), then removed."""
        if any(isinstance(t, ox.BlankNode) for q in [*add, *remove] for t in (q.subject, q.object)):
            raise StoreError("a conditional write cannot hold blank nodes")
        receipt = ox.NamedNode(f"urn:x-dcikg:receipt:{uuid.uuid4().hex}")
        mark = ox.Quad(receipt, ox.NamedNode(str(RDF.value)), ox.Literal("written"), ox.NamedNode(str(META_GRAPH)))
        held = [(str(e.subject), str(e.predicate), str(e.value)) for e in expect if e.value is not None]
        absent = [(str(e.subject), str(e.predicate)) for e in expect if e.value is None]
        update = updates.guarded_update(map(_ox_terms, [*add, mark]), map(_ox_terms, remove), held, absent)
        with host_lock(self.lock_dir, self.update_endpoint):  # the server does not serialise updates (locks.py)
            # checked first by a read, under the lock: Virtuoso 7.2 evaluates the guard's "must not exist" in
            # the write's favour, so on it the read is what refuses a write from this host
            broken = self.broken(expect)
            if broken:
                raise WriteConflict.about(broken)
            self._update(update, Change.of([*add, mark, *remove]))
            landed = self.ask(queries.load("receipt").inline(receipt=URIRef(receipt.value)), graphs=[META_GRAPH])
            if landed:
                self._update(updates.data_update(remove=[_ox_terms(mark)]), Change.of([mark]))
                self._verify(add, expect)
        if not landed:
            raise WriteConflict.about(expect)

    def _verify(self, add: list[ox.Quad], expect: Sequence[Expect]) -> None:
        """After a conditional write landed: each condition's subject and predicate hold only what this write
        gave them. Anything else is a concurrent write the server let through alongside this one (a writer on
        another host, beyond this host's lock): said, never passed over."""
        mine: dict[tuple, set] = {}
        for q in add:
            mine.setdefault((q.subject, q.predicate), set()).add(q.object)
        for (subject, predicate), values in self._values({(e.subject, e.predicate) for e in expect}).items():
            if values - mine.get((subject, predicate), set()):
                raise StoreError(
                    f"the SPARQL server applied another write to {subject.value} at the same time as this one "
                    "(it does not serialise updates, and the other writer is not on this host): "
                    "re-read the record and check it"
                )

    def bulk_write(self, quads: list[ox.Quad]) -> None:
        self.write(list(quads), [])

    def dump(self, fmt: ox.RdfFormat, from_graph: OxGraph | None = None) -> bytes:
        graphs = self.all_graphs() if from_graph is None else [from_graph]
        quads = [q for g in graphs for q in self.graph_quads(g)]
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt)
        return ox.serialize([q.triple for q in quads], format=fmt)

    def close(self) -> None:
        self._http.close()
        if self._genfile is not None:
            self._genfile.close()


def _ox_terms(q: ox.Quad) -> updates.TermQuad:
    g = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (str(q.subject), str(q.predicate), str(q.object), g)


def _GENERATION(n: int) -> updates.TermQuad:
    return (f"<{STORE_IRI}>", f"<{DCI.generation}>", f'"{n}"^^<{XSD}integer>', f"<{META_GRAPH}>")


def _has_bnode(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
