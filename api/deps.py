"""Dependencies: the app state, the caller (bearer token), role checks, the graphs a caller may read.

They are coroutines although none awaits: FastAPI runs a plain `def` dependency in the threadpool, and
those thread hops cost /health half of its throughput under 16 connections (python -m bench)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from rdflib import URIRef

from api.problems import ApiError
from api.state import AppState
from kg.auth.access import Role
from kg.auth.tokens import ANONYMOUS, Caller

_bearer = HTTPBearer(auto_error=False, description="A token from `dci-kg token create`; none = anonymous reader")


async def get_state(request: Request) -> AppState:
    return request.app.state.dcikg


State = Annotated[AppState, Depends(get_state)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


# RFC 6750 §2.1: "Bearer", one space, a b64token; anything else sent as Authorization is refused, not
# taken for an anonymous request (a client that believes it is authenticated must learn it is not)
_BEARER = re.compile(r"Bearer ([A-Za-z0-9._~+/-]+=*)")
_MALFORMED = {"WWW-Authenticate": 'Bearer error="invalid_request"'}


async def get_caller(request: Request, state: State, _credentials: Credentials) -> Caller:
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    match = _BEARER.fullmatch(header)
    if match is None:
        raise ApiError(401, "malformed Authorization header; send 'Authorization: Bearer <token>'", _MALFORMED)
    caller = state.tokens.lookup(match.group(1))
    if caller is None:
        raise ApiError(401, "unknown or revoked token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


async def readable_graphs(state: State, caller: CallerDep) -> list[URIRef]:
    return await state.call(state.access.readable, caller.role)


Graphs = Annotated[list[URIRef], Depends(readable_graphs)]


def require(role: Role):
    """A dependency that lets through only callers with at least `role` (401 without a token, 403 below)."""

    async def check(caller: CallerDep) -> Caller:
        if caller is ANONYMOUS:
            raise ApiError(401, f"this needs a bearer token with role {role.value}", {"WWW-Authenticate": "Bearer"})
        if not caller.role.at_least(role):
            raise ApiError(403, f"this needs role {role.value}; token {caller.name!r} has role {caller.role.value}")
        return caller

    return check
