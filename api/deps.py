"""Dependencies: the app state, the caller (bearer token), role checks, the graphs a caller may read.

They are coroutines although none awaits: FastAPI runs a plain `def` dependency in the threadpool, and
those thread hops cost /health half of its throughput under 16 connections (python -m bench)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from rdflib import URIRef

from api.problems import ApiError
from api.state import AppState
from kg.access import Role
from kg.tokens import ANONYMOUS, Caller

_bearer = HTTPBearer(auto_error=False, description="A token from `dci-kg token create`; none = anonymous reader")


async def get_state(request: Request) -> AppState:
    return request.app.state.dcikg


State = Annotated[AppState, Depends(get_state)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def get_caller(state: State, credentials: Credentials) -> Caller:
    if credentials is None:
        return ANONYMOUS
    caller = state.tokens.lookup(credentials.credentials)
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
