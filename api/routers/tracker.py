"""The agreements tracker pages: the register table with filters and a chart, the country table, one
instrument with its timeline, and the form negotiators use to record a status change."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.bodies import read_bounded
from api.deps import State
from api.i18n import lang_of
from api.pages import render
from api.routers.web import local_href
from api.state import AppState
from kg import gate
from kg.auth.access import Role
from kg.services import agreements
from kg.services.agreements import tracker
from kg.services.agreements.lifecycle import UnknownStatus

router = APIRouter(include_in_schema=False)
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
) -> HTMLResponse:
    lang = lang_of(request)
    error, status_code = None, 200
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
        )
    except agreements.UnknownCode as exc:  # a hand-made URL: say which code is unknown, show no rows
        error, status_code = str(exc), 422
        result = tracker.empty(state.store, lang)
    filters = {"country": country, "status": status, "kind": kind, "topic": topic, "stalled": stalled}
    here = request.url_for("tracker_page")

    def sort_href(col: str, descending: bool) -> str:
        kept = {k: v for k, v in filters.items() if v}
        return str(here.include_query_params(**kept, sort=col, desc=str(descending).lower()))

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
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/tracker/countries", name="countries_page", response_class=HTMLResponse)
def countries_page(request: Request, state: State) -> HTMLResponse:
    lang = lang_of(request)
    return render(
        request,
        "countries.html",
        {"title": "Pays" if lang == "fr" else "Countries", **tracker.countries(state.store, lang)},
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
    fr = lang_of(request) == "fr"
    caller = state.tokens.lookup(token.strip()) if token.strip() else None
    if caller is None:
        text = (
            "Jeton inconnu ou révoqué : rien n'a été enregistré."
            if fr
            else "Unknown or revoked token: nothing was recorded."
        )
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": text}, 401)
    if not caller.role.at_least(Role.negotiator):
        text = (
            f"Le jeton {caller.name!r} a le rôle {caller.role.value} ; il faut le rôle negotiator."
            if fr
            else f"Token {caller.name!r} has role {caller.role.value}; recording needs role negotiator."
        )
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": text}, 403)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        text = f"Date invalide : {date!r}" if fr else f"Not a date: {date!r}"
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": text}, 422)
    try:
        done = tracker.record(state.store, instrument_id, status, day, by=caller.name, note=note, source=source)
    except agreements.NotFound as exc:
        return _instrument_page(request, state, instrument_id, {"ok": False, "text": str(exc)}, 404)
    except (UnknownStatus, agreements.InvalidValue, gate.WriteRejected) as exc:  # what the caller sent is wrong
        return _refused(request, state, instrument_id, exc, 422)
    except agreements.IllegalTransition as exc:  # the life-cycle does not allow it from the current status
        return _refused(request, state, instrument_id, exc, 409)
    # anything else is our bug: the app's handler answers 500 and logs it
    target = request.url_for("instrument_page", instrument_id=instrument_id).include_query_params(
        recorded=f"{done['from'] or '—'} → {done['to']} ({done['date']}, {caller.name})"
    )
    return RedirectResponse(str(target), status_code=303)


def _refused(request: Request, state: AppState, instrument_id: str, exc: Exception, status_code: int) -> Response:
    prefix = "Changement refusé" if lang_of(request) == "fr" else "Change refused"
    return _instrument_page(request, state, instrument_id, {"ok": False, "text": f"{prefix} : {exc}"}, status_code)
