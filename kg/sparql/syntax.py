"""Where a SPARQL syntax error is, said as a person counts: the line and column (from 1) of the first character
the grammar could not read, in the text the caller sent.

pyparsing reports the start of the outermost alternative that failed: after backtracking, that is often the
first line of a triples block or of the WHERE group, lines above the mistake. The furthest position any
element of the grammar reached is where reading really stopped (the CLI's engine, Oxigraph, reports the same
kind of position). It is found by parsing the refused text once more with a fail action on every element of
rdflib's grammar, in the worker that checks the query (one query at a time), then restored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyparsing


class QueryRefused(ValueError):
    """The query is malformed or asks for something the endpoint never does (400)."""


@dataclass(frozen=True)
class Position:
    line: int
    column: int


class QuerySyntaxError(QueryRefused):
    """A query the grammar cannot read, with where reading stopped."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(f"SPARQL syntax error at line {line}, column {column}: {reason}")
        self.reason, self.line, self.column = reason, line, column


def _elements(root: pyparsing.ParserElement) -> list[pyparsing.ParserElement]:
    seen: dict[int, pyparsing.ParserElement] = {}
    stack = [root]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen[id(element)] = element
        stack.extend(getattr(element, "exprs", None) or [])
        if getattr(element, "expr", None) is not None:
            stack.append(element.expr)
    return list(seen.values())


def furthest(grammar: pyparsing.ParserElement, text: str) -> int:
    """The furthest offset of `text` any element of `grammar` reached before failing."""
    far = 0

    def fail(_s: str, _loc: int, _expr: object, err: pyparsing.ParseBaseException) -> None:
        nonlocal far
        far = max(far, err.loc)

    elements = _elements(grammar)
    saved = [(e, e.failAction) for e in elements]
    for e in elements:
        e.failAction = fail
    try:
        grammar.parse_string(text, parse_all=True)
    except (pyparsing.ParseBaseException, RecursionError):
        pass
    finally:
        for e, action in saved:
            e.failAction = action
    return far


def position(text: str, offset: int) -> Position:
    """Line and column (from 1) of `offset` in `text`; only a line feed starts a line (SPARQL's own rule)."""
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def unexpected(text: str, offset: int) -> str:
    """What stands at `offset`, for the error message."""
    rest = text[offset:]
    if not rest.strip():
        return "the query ends too early (a closing brace or parenthesis may be missing)"
    token = re.match(r"\s*(\S{1,30})", rest).group(1)
    return f"unexpected {token!r}"


_ENGINE = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_PNAME = re.compile(r"[\w\-.]*:[\w\-.%\\]*$")


def engine_error(text: str, message: str) -> QuerySyntaxError | None:
    """Oxigraph's syntax error on `text` (what rdflib's grammar lets through: an undefined prefix), said
    in the same words as the grammar's; None when the message carries no position."""
    m = _ENGINE.search(message)
    if m is None:
        return None
    line, column, detail = int(m.group(1)), int(m.group(2)), m.group(3)
    if "Prefix not found" in detail:
        lines = text.split("\n")
        head = lines[line - 1][: column - 1] if line <= len(lines) else ""
        name = _PNAME.search(head)
        if name:
            prefix = name.group(0).split(":")[0] + ":"
            return QuerySyntaxError(f"undefined prefix {prefix!r}", line, name.start() + 1)
        return QuerySyntaxError("undefined prefix", line, column)
    first = detail.splitlines()[0] if detail else "not a SPARQL query"
    return QuerySyntaxError(first[:160], line, column)
