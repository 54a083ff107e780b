"""`dci-kg query`: a named query of kg/queries (with its `# param:` parameters), a .rq file, or SPARQL text."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.common import JsonOpt, StoreOpt, fail, out
from cli.common import open_or_fail as _open
from kg import queries
from kg.queries import NamedQuery
from kg.queries.values import BadValue, defaults, term
from kg.store import QueryError

QueryArg = Annotated[
    str,
    typer.Argument(
        metavar="QUERY",
        help="The name of a query of kg/queries (e.g. signed-not-in-force), a .rq file, or SPARQL text",
        show_default=False,
    ),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="NAME=VALUE",
        help="Bind a `# param:` of the query: an IRI (<…> or http…), a date YYYY-MM-DD, a number, true/false "
        "or text; ?today defaults to today",
        show_default=False,
    ),
]
_WORD = re.compile(r"^[\w.-]+$")


def resolve(arg: str) -> NamedQuery:
    """The query the argument names: an existing file, a named query, else SPARQL text (a word or a
    path is never taken for query text: it is a file that does not exist)."""
    path = Path(arg)
    if _WORD.match(arg) or ("/" in arg and not re.search(r"\s", arg)):
        if path.is_file():
            return NamedQuery.from_text(path.stem, path.read_text(encoding="utf-8"))
        stem = arg.removesuffix(".rq")
        if "/" not in arg and stem in queries.names():
            return queries.load(stem)
        if "/" in arg or arg.endswith(".rq"):
            fail(f"no such file: {arg}", 2)
        fail(f"no such file or named query: {arg} (the named queries are the .rq files of kg/queries/)", 2)
    return NamedQuery.from_text("query", arg)


def bound_text(q: NamedQuery, params: list[str]) -> str:
    """The query's text with every declared parameter bound; a missing or unknown one is an error."""
    values = {}
    for p in params:
        name, sep, value = p.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not name:
            fail(f"--param must be NAME=VALUE, got {p!r}", 2)
        if name not in q.params:
            declared = ", ".join(sorted(q.params)) or "none"
            fail(f"query {q.name} has no parameter {name!r}; its parameters: {declared}", 2)
        try:
            values[name] = term(value)
        except BadValue as exc:
            fail(f"--param {name}: {exc}", 2)
    for name, value in defaults().items():
        if name in q.params and name not in values:
            values[name] = value
    missing = sorted(q.params - values.keys() - q.optional)
    if missing:
        fail(f"query {q.name} needs {', '.join(missing)}: give " + " ".join(f"--param {m}=…" for m in missing), 2)
    return q.inline(**{n: values.get(n) for n in q.params})


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # any parse failure: not an update
        return False
    return True


def query(
    sparql: QueryArg,
    param: ParamOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Run a read-only SPARQL query on the union of the graphs: SELECT rows, ASK true/false, CONSTRUCT Turtle."""
    from cli.output import print_rows

    if as_json:
        fmt = "json"
    if fmt not in ("table", "json", "csv"):
        fail(f"--format must be table, json or csv, got {fmt!r}", 2)
    text = bound_text(resolve(sparql), param or [])
    s = _open(store)
    try:
        rows = s.select(text)
    except QueryError as exc:
        if _is_update(text):
            fail("updates (INSERT, DELETE, LOAD, CLEAR…) are refused: dci-kg query only reads; "
                 "write with dci-kg load or dci-kg agreements import", 2)  # fmt: skip
        if "not a SELECT" not in str(exc):
            fail(str(exc))
        _other_form(s, text, fmt)
        return
    finally:
        s.close()
    print_rows(rows, fmt, out)


def _other_form(s, text: str, fmt: str) -> None:
    """ASK prints true or false; CONSTRUCT and DESCRIBE print Turtle."""
    import json

    try:
        answer = s.ask(text)
    except QueryError:
        sys.stdout.write(s.construct(text).serialize(format="turtle"))
        return
    sys.stdout.write((json.dumps({"boolean": answer}) if fmt == "json" else str(answer).lower()) + "\n")
