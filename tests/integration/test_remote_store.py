"""What the remote backend relies on from each SPARQL server, as the tests configure it: only the project's
graphs are seen, terms round-trip (dates, languages, long literals, blank nodes), and a guarded update of
one version triple lets exactly one of many concurrent writers through (the conditional write)."""

from __future__ import annotations

import threading

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.store import Expect, WriteConflict
from kg.store.remote import RemoteStore
from tests.conftest import SparqlServers
from vocab.namespaces import GRAPH_PREFIX

G = URIRef(GRAPH_PREFIX + "test-remote")
S, P = URIRef("https://w3id.org/dci-kg/id/test-s"), URIRef("https://w3id.org/dci-kg/ontology#testP")
KINDS = ["oxigraph", "virtuoso"]


@pytest.fixture(params=KINDS)
def remote(request, sparql_servers: SparqlServers):
    store = sparql_servers.store(request.param, "contract")
    for g in store.graph_names():
        store.drop_graph(g)
    yield store
    store.close()


def test_terms_round_trip(remote: RemoteStore) -> None:
    values = [
        Literal("2013-10-02", datatype=XSD.date),
        Literal("2013", datatype=XSD.gYear),
        Literal("2013-10", datatype=XSD.gYearMonth),
        Literal("accord de sécurité intérieure", lang="fr"),
        Literal("x" * 100_000 + " \"quoted\"\nline"),
        Literal(5),
        Literal(True),
        Literal("https://example.org/a", datatype=XSD.anyURI),
    ]
    remote.apply([(S, P, v, G) for v in values])
    assert {q[2] for q in remote.quads(G)} == set(values)
    assert remote.graph_names() == [G]  # the server's own graphs (Virtuoso's virtrdf#…) are not listed


def test_blank_nodes_are_written_and_replaced_with_their_graph(remote: RemoteStore) -> None:
    b = BNode()
    remote.apply([(S, P, b, G), (b, P, Literal("inside"), G), (S, P, Literal("plain"), G)])
    quads = remote.quads(G)
    (inner,) = [q[0] for q in quads if q[2] == Literal("inside")]
    assert (S, P, inner, G) in quads  # one fresh node, linked both ways
    remote.apply([(S, P, Literal("new"), G)], quads)  # every quad of the graph: dropped whole
    assert [q[2] for q in remote.quads(G)] == [Literal("new")]


def test_a_large_write_lands_in_one_request(remote: RemoteStore) -> None:
    before = remote.generation
    remote.apply([(URIRef(f"https://w3id.org/dci-kg/id/test-{i}"), P, Literal(i), G) for i in range(12_000)])
    assert remote.count(G) == 12_000 and remote.generation != before


def test_a_guarded_update_lets_one_of_sixteen_concurrent_writers_through(remote: RemoteStore) -> None:
    """DELETE/INSERT … WHERE { the version triple still has value v0 }, sent by 16 writers at once: one wins,
    the others change nothing (Virtuoso: only with DefaultIsolation = 8, see bench/servers.py)."""
    s, p, g = (f"<{t}>" for t in (S, P, G))
    remote.apply([(S, P, Literal("v0"), G)])
    barrier = threading.Barrier(16)
    answers: list[int] = []

    def write(i: int) -> None:
        barrier.wait()
        text = (
            f'DELETE {{ GRAPH {g} {{ {s} {p} "v0" }} }} '
            f'INSERT {{ GRAPH {g} {{ {s} {p} "t{i}" . <urn:ev:{i}> {p} "e" }} }} '
            f'WHERE {{ GRAPH {g} {{ {s} {p} "v0" }} }}'
        )
        r = httpx.post(remote.update_endpoint, content=text, headers={"Content-Type": "application/sparql-update"},
                       timeout=120)  # fmt: skip
        answers.append(r.status_code)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    quads = remote.graph_quads(ox.NamedNode(str(G)))
    versions = [q.object for q in quads if q.subject == ox.NamedNode(str(S))]
    events = [q for q in quads if q.object == ox.Literal("e")]
    assert len(answers) == 16 and all(code < 300 for code in answers)
    assert len(versions) == 1 and len(events) == 1


def test_conditional_writes_refuse_a_stale_value_and_an_existing_node(remote: RemoteStore) -> None:
    """The store contract's conditional write (kg.store.Expect) on each server: a stale expected value and a
    creation of a node that exists are WriteConflict, and nothing of them is written."""
    subject, predicate = ox.NamedNode(str(S)), ox.NamedNode(str(P))
    remote.apply([(S, P, Literal("v1"), G)], [], [Expect(subject, predicate, None)])  # created
    with pytest.raises(WriteConflict):
        remote.apply([(S, P, Literal("again"), G)], [], [Expect(subject, predicate, None)])
    with pytest.raises(WriteConflict):
        stale = [Expect(subject, predicate, ox.Literal("v0"))]
        remote.apply([(S, P, Literal("v2"), G)], [(S, P, Literal("v0"), G)], stale)
    remote.apply([(S, P, Literal("v2"), G)], [(S, P, Literal("v1"), G)], [Expect(subject, predicate, ox.Literal("v1"))])
    assert {q.object for q in remote.quads_about(subject, predicate)} == {ox.Literal("v2")}


def test_another_process_reads_what_a_write_touched_from_the_stores_change_log(remote: RemoteStore,
                                                                               sparql_servers: SparqlServers,
                                                                               request) -> None:  # fmt: skip
    """No local owner (`--endpoint`): a second client, as another API process or host, learns from the store
    itself which subjects, predicates and graphs the first one's writes touched, and that nothing changed."""
    other = sparql_servers.store(request.node.callspec.params["remote"], "contract")
    try:
        remote.apply([(S, P, Literal("first"), G)])  # the log starts at a write made by this code
        start = other.generation
        assert other.changes(start, start) is not None and not other.changes(start, start).subjects
        T = URIRef("https://w3id.org/dci-kg/id/test-t")
        G2 = URIRef(GRAPH_PREFIX + "test-remote-2")
        remote.apply([(T, P, Literal(1), G2)])
        remote.apply([(S, P, Literal("second"), G)], [(S, P, Literal("first"), G)])
        now = other.generation
        change = other.changes(start, now)
        assert change is not None
        assert change.subjects == {str(S), str(T)} and change.predicates == {str(P)}
        assert change.graphs == {str(G), str(G2)}
        assert other.changes(now, now).subjects == frozenset()
        assert G2 in other.graph_names()  # the list of graphs follows a write that made one
    finally:
        other.close()


def test_the_change_log_says_unknown_rather_than_nothing(remote: RemoteStore, sparql_servers: SparqlServers,
                                                        request, monkeypatch) -> None:  # fmt: skip
    """A write by a client that logs nothing, a write too large to list and a pruned log all read as unknown
    (the reader rebuilds), never as "nothing changed"."""
    from kg.queries import updates
    from kg.store import changelog
    from kg.store.remote import _GENERATION

    other = sparql_servers.store(request.node.callspec.params["remote"], "contract")
    try:
        remote.apply([(S, P, Literal("first"), G)])
        start = other.generation
        # a client that moves the generation and logs nothing (an older version of this program)
        remote._post_update(
            "DELETE WHERE { GRAPH <https://w3id.org/dci-kg/graph/meta> { <https://w3id.org/dci-kg/id/store> "
            "<https://w3id.org/dci-kg/ontology#generation> ?g } } ;\n" + updates.data_update([_GENERATION(7)])
        )
        remote.apply([(S, P, Literal("after"), G)])
        assert other.changes(start, other.generation) is None
        start = other.generation
        monkeypatch.setattr(changelog, "MAX_TERMS", 2)
        remote.apply([(URIRef(f"https://w3id.org/dci-kg/id/test-{i}"), P, Literal(i), G) for i in range(3)])
        assert other.changes(start, other.generation) is None
        monkeypatch.setattr(changelog, "MAX_TERMS", 5000)
        start = other.generation
        remote.apply([(S, P, Literal("logged"), G)])
        assert other.changes(start, other.generation) is not None
        monkeypatch.setattr(changelog, "KEEP_SECONDS", -60)  # every record is old: the next prune takes them all
        monkeypatch.setattr(changelog, "PRUNE_EVERY", 1)
        remote.apply([(S, P, Literal("pruned"), G)])
        assert other.changes(start, other.generation) is None
    finally:
        other.close()
