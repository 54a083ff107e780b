"""Where a SPARQL syntax error is: the line and column (from 1) of the first character the grammar cannot read,
in the text the caller sent (pyparsing's own position is the start of the alternative that failed, often lines
above: the first line of a triples block or of the WHERE group)."""

from __future__ import annotations

import pytest

from kg.sparql.guard import QueryRefused, check
from kg.sparql.syntax import QuerySyntaxError

BLOCK = """PREFIX dci: <https://w3id.org/dci-kg/ontology#>
SELECT ?id WHERE {
  ?instrument dci:key ?id ;
      dci:signedOn ?signed ;
      dci:status ?status ?extra .
}
"""


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (BLOCK, 5, 26),  # ?extra, three lines into a triples block: pyparsing said line 3
        ("SELECT ?x WHERE {\n  ?x ?y ?z .\n  ?x ?y\n}\n", 4, 1),  # an object missing: the brace is unexpected
        ("SELECT ?x\nWHERE {\n ?x ?y ?z\n}\nLIMIT x", 5, 7),
        ("# a comment\n# another\nSELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER (?x = )\n}", 5, 16),
        # rdflib's grammar reads it; the engine refuses the undefined prefix, reported where it is
        (
            "PREFIX dci: <https://w3id.org/dci-kg/ontology#>\nSELECT ?x WHERE {\n  ?x a dci:Directorate .\n"
            "  ?x foo:key ?k\n}",
            4,
            6,
        ),
    ],
    ids=["triples-block", "missing-object", "limit", "after-comments", "undefined-prefix"],
)
def test_the_reported_position_is_where_the_error_is(text, line, column):
    lines = text.split("\n")
    assert lines[line - 1][column - 1] in "?})xf"  # the test's own positions point at the offending text
    with pytest.raises(QuerySyntaxError) as err:
        check(text, 100_000)
    assert (err.value.line, err.value.column) == (line, column), str(err.value)
    assert f"line {line}, column {column}" in str(err.value)


def test_the_query_ending_early_says_so():
    with pytest.raises(QuerySyntaxError) as err:
        check("SELECT ?x WHERE {\n  ?x ?y ?z .\n", 100_000)
    assert err.value.line == 3 and "ends too early" in str(err.value)


def test_refusals_that_are_not_syntax_errors_carry_no_position():
    with pytest.raises(QueryRefused) as err:
        check("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", 100_000)
    assert not isinstance(err.value, QuerySyntaxError) and "SERVICE" in str(err.value)
