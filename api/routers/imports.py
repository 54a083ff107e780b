"""POST /import: RDF or a legal text, for admins, with ETag / If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import State, require
from api.etag import guarded_write, quoted
from api.models import ImportResult, Version
from api.problems import ApiError, responses
from kg import imports
from kg.access import Role
from kg.tokens import Caller

router = APIRouter(tags=["import"])

_TURTLE = "@prefix ex: <https://w3id.org/dci-kg/id/> .\n"
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            m: {"schema": {"type": "string"}, **({"example": _TURTLE} if m == "text/turtle" else {})}
            for m in imports.SUFFIXES
        },
    }
}


@router.get("/import", response_model=Version, summary="The current version (ETag) of the importable data")
def current_version(state: State, response: Response) -> Version:
    v = imports.version(state.store)
    response.headers["ETag"] = quoted(v)
    return Version(version=v)


@router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra=_BODY,
    responses=responses(400, 401, 403, 412, 415, 422),
    summary="Import RDF (reference data) or a legal text (.md) through the SHACL gate; admin only",
)
async def import_data(
    request: Request,
    response: Response,
    state: State,
    _caller: Annotated[Caller, Depends(require(Role.admin))],
    if_match: Annotated[str | None, Header(description="The ETag you last read; 412 if it changed")] = None,
) -> ImportResult:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in imports.SUFFIXES:
        raise ApiError(
            415, f"cannot import {media or 'a body without Content-Type'}; send one of " + ", ".join(imports.SUFFIXES)
        )
    data = await request.body()
    counts, version = await run_in_threadpool(
        guarded_write,
        state.write_lock,
        if_match,
        lambda: imports.version(state.store),
        lambda: imports.import_document(state.store, data, media),
    )
    response.headers["ETag"] = quoted(version)
    return ImportResult(loaded=counts, version=version)
