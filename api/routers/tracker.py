"""The agreements tracker pages: the register table with filters and a chart, the country table, one
instrument with its timeline, and the form negotiators use to record a status change."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import formats
from api.bodies import read_bounded
from api.deps import State
from api.formats import collated
from api.i18n import lang_of, translator
from api.pages import render
from api.paging import page_offsets
from api.routers.web import local_href
from api.state import AppState
from kg import gate
from kg.auth.access import Role
from kg.services import agreements
from kg.services.agreements import tracker, views
from kg.services.agreements.dates import local_date
from kg.services.agreements.lifecycle import UnknownStatus

router = APIRouter(include_in_schema=False)
PAGE = views.DEFAULT_LIMIT  # rows per tracker page
_FORM_BYTES = 64 * 1024  # a status change form: a token, a status, a date, a note and a source


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@router.get("/tracker", name="tracker_page", response_class=HTMLResponse)
def tracker_page(
    request: Request,
    state: State,
    country: str = "",
    status: str = "",
    kind: str = "",
    topic: str = "",
    stalled: str = "",
    sort: str = "partner_country",
    desc: bool = False,
    offset: str = "",
    limit: str = "",
) -> HTMLResponse:
    lang = lang_of(request)
    error, status_code = None, 200
    start = _int(offset) or 0
    size = min(max(_int(limit) or PAGE, 1), views.MAX_LIMIT)
    try:
        result = tracker.table(
            state.store,
            lang,
            country=country,
            status=status,
            kind=kind,
            topic=topic,
            stalled_years=_int(stalled),
            sort=sort,
            descending=desc,
            limit=size,
            offset=start,
        )
    except agreements.UnknownCode as exc:  # a hand-made URL: say which code is unknown, show no rows
        error, status_code = str(exc), 422
        result = tracker.empty(state.store, lang)
    filters = {"country": country, "status": status, "kind": kind, "topic": topic, "stalled": stalled}
    here = request.url_for("tracker_page")

    def sort_href(col: str, descending: bool) -> str:
        kept = {k: v for k, v in filters.items() if v}
        return str(here.include_query_params(**kept, sort=col, desc=str(descending).lower()))

    kept = {k: v for k, v in filters.items() if v}
    kept.update(sort=sort, desc=str(desc).lower(), **({"limit": str(size)} if size != PAGE else {}))
    pages = {
        rel: str(here.include_query_params(**kept, offset=o))
        for rel, o in page_offsets(result["total"], size, start).items()
    }

    return render(
        request,
        "tracker.html",
        {
            "title": "Accords" if lang == "fr" else "Agreements",
            **result,
            "filters": filters,
            "sort": sort,
            "desc": desc,
            "sort_href": sort_href,
            "pages": pages,
            "instrument_href": _instrument_href(request),
            "date": lambda iso: local_date(iso, lang),
            "error": error,
        },
        status_code=status_code,
    )


def _instrument_href(request: Request):
    """href(id) of an instrument page: the route resolved once per page, not once per row (url_for costs ~1 ms)."""
    base = str(request.url_for("instrument_page", instrument_id="-"))[:-1]
    return lambda instrument_id: base + quote(instrument_id, safe="")


@router.get("/tracker/countries", name="countries_page", response_class=HTMLResponse)
def countries_page(request: Request, state: State) -> HTMLResponse:
    lang = lang_of(request)
    found = tracker.countries(state.store, lang)
    rows = collated(found["rows"], key=lambda r: r["name"])  # "Émirats arabes unis" with the E
    return render(
        request,
        "countries.html",
        {
            "title": "Pays" if lang == "fr" else "Countries",
            **found,
            "rows": rows,
            "date": lambda iso: local_date(iso, lang),
        },
    )


def _instrument_page(request: Request, state: State, instrument_id: str, message: dict | None, status_code: int = 200):
    lang = lang_of(request)
    try:
        found = tracker.instrument(state.store, instrument_id, lang)
    except agreements.NotFound:
        return render(request, "not-found.html", {"title": instrument_id, "what": instrument_id}, status_code=404)
    return render(
        request,
        "instrument.html",
        {
            "title": found["instrument"]["title"],
            **found,
            "message": message,
            "today": dt.date.today().isoformat(),
            "import_agent": agreements.IMPORT_AGENT,  # the register import, named in the page's language
            "href": lambda iri: local_href(request, iri),
        },
        status_code=status_code,
    )


@router.get("/tracker/{instrument_id}", name="instrument_page", response_class=HTMLResponse)
def instrument_page(request: Request, state: State, instrument_id: str, recorded: str = "") -> HTMLResponse:
    message = {"ok": True, "text": recorded} if recorded else None
    return _instrument_page(request, state, instrument_id, message)


@router.post("/tracker/{instrument_id}/transition", name="record_transition")
async def record_transition(request: Request, state: State, instrument_id: str) -> Response:
    """The negotiator's form (application/x-www-form-urlencoded: token, status, date, note, source)."""
    body = (await read_bounded(request, _FORM_BYTES, "the form")).decode("utf-8", errors="replace")
    form = dict(parse_qsl(body, keep_blank_values=True))
    return await run_in_threadpool(
        _record,
        request,
        state,
        instrument_id,
        form.get("token", ""),
        form.get("status", ""),
        form.get("date", ""),
        form.get("note", ""),
        form.get("source", ""),
    )


def _record(
    request: Request, state: AppState, instrument_id: str, token: str, status: str, date: str, note: str, source: str
) -> Response:
    lang = lang_of(request)
    t = translator(lang)
    caller = state.tokens.lookup(token.strip()) if token.strip() else None
    if caller is None:
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": t("in.err.token")}, 401)
    if not caller.role.at_least(Role.negotiator):
        text = t("in.err.role", name=caller.name, role=caller.role.value)
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": text}, 403)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": t("in.err.date", date=date)}, 422)
    try:
        before = tracker.instrument(state.store, instrument_id, lang)
        done = tracker.record(state.store, instrument_id, status, day, by=caller.name, note=note, source=source)
    except agreements.NotFound as exc:
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": str(exc)}, 404)
    except (UnknownStatus, agreements.InvalidValue, gate.WriteRejected) as exc:  # what the caller sent is wrong
        return _refused(request, state, instrument_id, str(exc), 422)
    except agreements.IllegalTransition:  # the life-cycle does not allow it from the current status
        label = before["vocab"].label
        text = t(
            "in.err.transition",
            old=label("status", before["instrument"]["status"]),
            new=label("status", status),
            allowed=", ".join(name for _code, name in before["allowed"]) or "—",
        )
        return _refused(request, state, instrument_id, text, 409)
    # anything else is our bug: the app's handler answers 500 and logs it
    label = before["vocab"].label
    shown = f"{label('status', done['from']) if done['from'] else '—'} → {label('status', done['to'])}"
    target = request.url_for("instrument_page", instrument_id=instrument_id).include_query_params(
        recorded=f"{shown} ({formats.date(done['date'], lang)}, {caller.name})"
    )
    return RedirectResponse(str(target), status_code=303)


def _refused(request: Request, state: AppState, instrument_id: str, reason: str, status_code: int) -> Response:
    text = translator(lang_of(request))("in.err.refused", reason=reason)
    return _instrument_page(request, state, instrument_id, {"ok": False, "text": text}, status_code)
