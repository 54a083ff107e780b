"""The web page: Ask, Organisation, ontology documentation (the query page: api/routers/query_page.py). Each
route parses its query parameters, calls one service, and renders a template of the shared layout."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import State
from api.i18n import lang_of
from api.orgchart import layout
from api.pages import render
from kg.services import competence, directory, ontology_doc
from vocab.namespaces import ID

router = APIRouter(include_in_schema=False)

EXAMPLES = {
    "fr": [
        "Qui négocie les arrangements techniques pour la gendarmerie ?",
        "Qui gère les attachés de sécurité intérieure à l'étranger ?",
        "Coopération avec les services de renseignement étrangers",
        "Qui répond aux demandes d'expertise de l'Union européenne ?",
    ],
    "en": [
        "Who negotiates technical arrangements for the gendarmerie?",
        "Who manages internal security attachés abroad?",
        "Cooperation with foreign intelligence services",
        "Who answers European Union requests for expertise?",
    ],
}


def _date(text: str | None) -> tuple[dt.date, str | None]:
    """The date asked for (today when empty) and an error message when it is not a date."""
    if not text:
        return dt.date.today(), None
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return dt.date.today(), text


def local_href(request: Request, iri: str) -> str:
    if iri.startswith(str(ID)):
        return str(request.url_for("resource_page", path=iri[len(str(ID)) :]))
    return iri


@router.get("/", name="ask_page", response_class=HTMLResponse)
def ask_page(
    request: Request,
    state: State,
    q: Annotated[str, Query(max_length=500)] = "",
    at: str = "",
) -> HTMLResponse:
    day, bad_date = _date(at)
    lang = lang_of(request)
    answer = None
    if q.strip() and not bad_date:
        index = state.index()
        found = competence.instruments_lookup(state.store, index)  # a page is public: no restricted one
        answer = competence.resolve(index, q.strip(), day, 5, lang, instruments=found)
    return render(
        request,
        "ask.html",
        {
            "title": "Question" if lang == "fr" else "Ask",
            "q": q,
            "at": at,
            "bad_date": bad_date,
            "answer": answer,
            "names": directory.uncertain_names(state.index(), day) if answer else {},
            "badges": directory.role_labels(state.store, lang),
            "acronyms": directory.with_acronym(state.store),
            "examples": EXAMPLES[lang],
            "href": lambda iri: local_href(request, iri),
        },
    )


@router.get("/organisation", name="organisation_page", response_class=HTMLResponse)
def organisation_page(request: Request, state: State, at: str = "", root: str = "DCI") -> HTMLResponse:
    day, bad_date = _date(at)
    index = state.index()
    lang = lang_of(request)
    chart = directory.chart(state.store, index, root if root.replace("-", "").isalnum() else "DCI", day, lang)
    acronyms = directory.with_acronym(state.store)
    svg = layout(chart, lambda iri: local_href(request, iri), acronyms)
    ends = {
        iri: (t.end.isoformat(), index.timeline.end_certainty(iri)) for iri, t in index.timeline.texts.items() if t.end
    }
    return render(
        request,
        "organisation.html",
        {
            "title": "Organisation",
            "at": day.isoformat(),
            "bad_date": bad_date,
            "chart": chart,
            "texts_end": ends,
            "today": dt.date.today().isoformat(),
            "svg": svg,
            "boxes": {box.iri: box for box in svg["nodes"]},
            "acronyms": acronyms,
            "badges": directory.role_labels(state.store, lang),
            "href": lambda iri: local_href(request, iri),
        },
    )


@router.get("/ontology", name="ontology_page", response_class=HTMLResponse)
def ontology_page(request: Request) -> HTMLResponse:
    return render(
        request,
        "ontology.html",
        {
            "title": "Ontologie" if lang_of(request) == "fr" else "Ontology",
            "doc": ontology_doc.documentation(),
            "short": ontology_doc.short,
            "sources": ontology_doc.sources(),
        },
    )
