"""The one binder: values enter SPARQL only as checked RDF terms, for the parameters a query declares."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from kg import queries
from kg.queries import MissingParameter, NamedQuery, bind

TEXT = "# Which labels, WHERE { not here }\n# param: ?s\n# param: ?l\nSELECT ?s ?o WHERE {\n  ?s ?p ?o\n}"
Q = NamedQuery("t", TEXT, frozenset({"s", "l"}))


def test_declared_parameters_are_required_and_only_those():
    with pytest.raises(MissingParameter, match="needs l"):
        Q.inline(s=URIRef("http://e/a"))
    with pytest.raises(MissingParameter, match="no parameter x"):
        Q.inline(s=None, l=None, x=Literal(1))
    assert Q.inline(s=None, l=None) == Q.text  # None leaves a parameter unbound


def test_scalars_and_lists_bind_where_the_engine_joins_them():
    store = ox.Store()
    for s in ("a", "b", "c"):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{s}"), ox.NamedNode("http://e/p"), ox.Literal(s)))
    text = Q.inline(s=[URIRef("http://e/a"), URIRef("http://e/c")], l=None)
    assert sorted(r["o"].value for r in store.query(text)) == ["a", "c"]
    one = Q.inline(s=URIRef("http://e/b"), l=None)
    assert [r["o"].value for r in store.query(one)] == ["b"]
    assert "not here" in one.split("\n")[0]  # the comment's WHERE was not taken for the query's


@pytest.mark.parametrize("bad", [URIRef("http://e/a> } DROP ALL #"), URIRef("http://e/a b"), BNode("x")])
def test_what_is_not_an_iri_or_a_literal_is_refused(bad):
    with pytest.raises(ValueError):
        bind("SELECT * WHERE { ?s ?p ?o }", {"s": bad})


def test_a_literal_with_quotes_stays_one_literal():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal('x" } ; DROP ALL #')))
    text = bind("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } ; DROP ALL #')})
    assert [r["s"].value for r in store.query(text)] == ["http://e/a"]


def test_a_query_without_where_cannot_be_bound():
    with pytest.raises(ValueError, match="no WHERE"):
        bind("ASK { ?s ?p ?o }", {"s": URIRef("http://e/a")})


def test_every_bundled_query_declares_what_it_is_bound_with():
    for path in sorted(queries.QUERIES_DIR.glob("*.rq")):
        q = queries.load(path.stem)
        assert "#{" not in q.text, path.name  # no template markers: one binder
        if q.params:
            assert "WHERE" in q.text.upper(), path.name
