"""What a SPARQL query does, decided from a real parse of it (rdflib's SPARQL 1.1 grammar), never from
keywords: the form it has, the variables it projects, and whether it asks for something the endpoint never
does (an update, SERVICE, FROM / FROM NAMED).

The text that is run is the one that was parsed: the query after SPARQL's codepoint escapes (\\u, \\U) are
expanded, as the grammar says they are before parsing, wrapped in a row cap. A query the grammar does not
accept is refused, even where the engine might accept it: a disagreement between two parsers must fail
closed. It runs in the sandboxed query workers (kg.sparql.worker): pyparsing on a long or deeply nested
query can take a second or a recursion error, which must not happen in the server's event loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import pyparsing
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.parserutils import CompValue

from kg.sparql.syntax import QueryRefused, QuerySyntaxError, engine_error, furthest, position, unexpected

Form = TypingLiteral["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
_FORMS: dict[str, Form] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # the text that was parsed (codepoint escapes expanded): the one to run
    form: Form
    body_start: int  # where the query form starts in `text`, after the prologue (BASE / PREFIX)
    projection: tuple[str, ...] | None  # the variables a SELECT projects, in order; None for SELECT *


# the prologue, then the position where it ends (the start of the query form)
_PROLOGUE_END = parser.Prologue + pyparsing.Empty().set_parse_action(lambda s, loc, toks: [loc])


def _nodes(tree: object) -> Iterator[CompValue]:
    """Every grammar node of a parse tree (depth first, without recursion: a tree can be deep)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, pyparsing.ParseResults | list | tuple):
            stack.extend(node)


def _syntax_error(text: str, exc: pyparsing.ParseBaseException) -> QueryRefused:
    """Where reading stopped (the furthest position the grammar reached, not pyparsing's backtracked one)."""
    offset = max(furthest(parser.Query, text), exc.loc)
    at = position(text, offset)
    return QuerySyntaxError(unexpected(text, offset), at.line, at.column)


def _engine_check(text: str) -> None:
    """What rdflib's grammar lets through and the engine refuses (an undefined prefix), refused here with
    its position in the caller's text (the run gets the text wrapped in the row cap, one line more).
    Only for a query already checked (no SERVICE, no update): the engine starts evaluating it, on an
    empty store."""
    try:
        _empty_store().query(text)
    except SyntaxError as exc:
        error = engine_error(text, str(exc))
        raise (error or QueryRefused(f"SPARQL syntax error: {str(exc)[:200]}")) from None


@cache
def _empty_store() -> ox.Store:
    return ox.Store()


def _parse(text: str) -> pyparsing.ParseResults:
    try:
        return parser.Query.parse_string(text, parse_all=True)
    except pyparsing.ParseBaseException as exc:
        try:
            parser.UpdateUnit.parse_string(text, parse_all=True)
        except (pyparsing.ParseBaseException, RecursionError):
            raise _syntax_error(text, exc) from None
        raise QueryRefused(
            "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, …) are refused"
        ) from None
    except RecursionError:
        raise QueryRefused("the query is nested too deeply to be read") from None


def check(query: str, max_length: int) -> CheckedQuery:
    """Refuse what the endpoint never runs; say which form the query has and what a SELECT projects."""
    if len(query) > max_length:
        raise QueryRefused(f"the query is longer than {max_length} characters")
    text = parser.expandUnicodeEscapes(query)
    tree = _parse(text)
    body = tree[1]
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: this endpoint never sends requests to other endpoints")
    if "datasetClause" in body:  # (CompValue.get answers the key itself for a missing key)
        raise QueryRefused(
            "FROM / FROM NAMED are refused: the dataset is the union of the graphs you may read; "
            "use GRAPH <…> in the query, or the default-graph-uri / named-graph-uri parameters"
        )
    form = _FORMS[body.name]
    projection = None
    if form == "SELECT" and "projection" in body:
        projection = tuple(str(v["var"] if "var" in v else v["evar"]) for v in body["projection"])
    _engine_check(text)
    start = _PROLOGUE_END.parse_string(text)[-1]
    return CheckedQuery(text, form, start, projection)


def capped(q: CheckedQuery, max_rows: int) -> str:
    """A SELECT wrapped so that the engine stops after `max_rows` rows (the row cap); same columns, same order."""
    if q.form != "SELECT":
        return q.text
    cols = " ".join(f"?{n}" for n in q.projection) if q.projection else "*"
    return f"{q.text[: q.body_start]}SELECT {cols} WHERE {{\n{q.text[q.body_start :]}\n}} LIMIT {max_rows}"
