"""The query page (/query): an editor, the project's named queries with a field per parameter (bound here
through the catalogue and NamedQuery.inline), and the answer as a table. /sparql renders the same page for
a browser that sends a query (api/routers/sparql.py): a form works without JavaScript."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.i18n import lang_of, translator
from api.pages import render
from kg.queries.catalogue import BadValue, Entry, catalogue
from kg.sparql import Answer, QueryRefused
from vocab.namespaces import ID

router = APIRouter(include_in_schema=False)


def _href(iri: str) -> str:
    return "/id/" + iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def _cell(binding: dict | None) -> dict:
    if not binding:
        return {"text": ""}
    if binding["type"] == "uri":
        return {"text": binding["value"], "href": _href(binding["value"])}
    lang = binding.get("xml:lang")
    return {"text": binding["value"] + (f" @{lang}" if lang else "")}


def _result(form: str | None, answer: Answer | None) -> dict | None:
    """What the page shows of an answer: a table (SELECT), a truth value (ASK) or a graph in Turtle."""
    if answer is None:
        return None
    if form in ("SELECT", "ASK"):
        data = json.loads(answer.body)
        if "boolean" in data:
            return {"boolean": data["boolean"]}
        names = data["head"]["vars"]
        rows = [[_cell(b.get(v)) for v in names] for b in data["results"]["bindings"]]
        return {"vars": names, "rows": rows, "truncated": answer.truncated}
    return {"graph": answer.body.decode("utf-8", errors="replace"), "truncated": answer.truncated}


def _fields(entry: Entry, lang: str, values: dict[str, str]) -> list[dict]:
    return [
        {
            "name": p.variable,
            "label": p.label(lang),
            "type": {"date": "date", "integer": "number"}.get(p.kind, "text"),
            "value": values.get(p.variable, ""),
            "example": p.example or "",
            "optional": p.optional,
            "min": p.minimum,
            "max": p.maximum,
        }
        for p in entry.parameters
    ]


def page(
    request: Request,
    text: str,
    *,
    chosen: str = "",
    chosen_values: dict[str, str] | None = None,
    error: Exception | str | None = None,
    form: str | None = None,
    answer: Answer | None = None,
    autorun: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    lang = lang_of(request)
    t = translator(lang)
    today = dt.date.today()
    named = []
    for entry in catalogue().offered:
        values = chosen_values if entry.name == chosen and chosen_values is not None else entry.initial(today)
        named.append(
            {
                "name": entry.name,
                "label": entry.label(lang),
                "description": entry.description(lang),
                "fields": _fields(entry, lang, values),
                "chosen": entry.name == chosen,
            }
        )
    problem = None
    if isinstance(error, BadValue):
        problem = {"text": t("sparql.bad", field=error.variable, reason=t(f"sparql.bad.{error.reason}"))}
    elif isinstance(error, QueryRefused):
        line, column = getattr(error, "line", None), getattr(error, "column", None)
        problem = {"text": t("sparql.refused"), "detail": str(error), "line": line, "column": column}
    elif isinstance(error, str):
        problem = {"text": error}
    return render(
        request,
        "sparql.html",
        {
            "title": t("sparql.title"),
            "named": named,
            "query": text,
            "problem": problem,
            "result": _result(form, answer),
            "autorun": autorun and problem is None,
        },
        status_code=status_code,
    )


@router.get("/query", name="sparql_page", response_class=HTMLResponse)
def sparql_page(request: Request, name: str = "", query: str = "") -> HTMLResponse:
    """The page; `?name=` loads a named query, its fields read from the other parameters, and runs it."""
    offered = catalogue().offered
    if not name:
        return page(request, query or (offered[0].shown(offered[0].initial(dt.date.today())) if offered else ""))
    entry = catalogue().get(name)
    if entry is None:
        t = translator(lang_of(request))
        return page(request, query, error=t("sparql.unknown", name=name[:80]), status_code=404)
    values = {p.variable: request.query_params.get(p.variable, "") for p in entry.parameters}
    try:
        text = entry.shown(values)
    except BadValue as exc:
        return page(request, "", chosen=name, chosen_values=values, error=exc, status_code=400)
    return page(request, text, chosen=name, chosen_values=values, autorun=True)
