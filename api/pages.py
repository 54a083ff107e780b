"""The web page's shared layout: one Jinja2 environment, the language of a request, the navigation."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.routing import NoMatchFound

from api.formats import FILTERS
from api.i18n import COOKIE, LANGS, lang_of, translator

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(FILTERS)  # ldate, ldates: dates in the page's language
STATIC_DIR = HERE / "static"

NAV = (
    ("ask_page", "nav.ask"),
    ("organisation_page", "nav.org"),
    ("tracker_page", "nav.tracker"),
    ("countries_page", "nav.countries"),
    ("sparql_page", "nav.sparql"),
    ("ontology_page", "nav.ontology"),
)


def render(request: Request, template: str, context: dict, status_code: int = 200, **kw) -> HTMLResponse:
    """A page in the request's language, with the navigation and the language switch."""
    lang = lang_of(request)
    other = LANGS[1 - LANGS.index(lang)]
    current = getattr(request.scope.get("route"), "name", None)
    nav = []
    for name, key in NAV:
        try:
            href = str(request.url_for(name))
        except NoMatchFound:  # a page not served by this app (yet)
            continue
        nav.append({"href": href, "key": key, "current": current == name})
    page = templates.TemplateResponse(
        request,
        template,
        {
            **context,
            "lang": lang,
            "t": translator(lang),
            "nav": nav,
            "switch_href": str(request.url.include_query_params(lang=other)),
        },
        status_code=status_code,
        **kw,
    )
    if request.query_params.get("lang") in LANGS:
        page.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return page
