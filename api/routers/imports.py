"""POST /import: an agreement register (CSV/JSON) for negotiators, RDF or a legal text for admins, with
ETag / If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from api.bodies import read_bounded
from api.deps import CallerDep, State, require
from api.etag import guarded_write, quoted
from api.models import ImportResult, Version
from api.problems import ApiError, responses
from kg.auth.access import Role
from kg.auth.tokens import Caller
from kg.services import imports

router = APIRouter(tags=["import"])

_TURTLE = "@prefix ex: <https://w3id.org/dci-kg/id/> .\n"
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            m: {"schema": {"type": "string"}, **({"example": _TURTLE} if m == "text/turtle" else {})}
            for m in imports.MEDIA_TYPES
        },
    }
}


@router.get("/import", response_model=Version, summary="The current version (ETag) of the importable data")
def current_version(state: State, caller: CallerDep, response: Response) -> Version:
    v = imports.version(state.store, state.access.readable(caller.role))
    response.headers["ETag"] = quoted(v)
    return Version(version=v)


@router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra=_BODY,
    responses=responses(400, 401, 403, 412, 413, 415, 422),
    summary="Import an agreement register (text/csv, application/json; negotiator) or RDF / a legal text "
    "(admin) through the SHACL gate",
)
async def import_data(
    request: Request,
    response: Response,
    state: State,
    caller: Annotated[Caller, Depends(require(Role.negotiator))],
    if_match: Annotated[str | None, Header(description="The ETag you last read; 412 if it changed")] = None,
) -> ImportResult:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in imports.MEDIA_TYPES:
        raise ApiError(
            415,
            f"cannot import {media or 'a body without Content-Type'}; send one of " + ", ".join(imports.MEDIA_TYPES),
        )
    needed = imports.required_role(media)
    if not caller.role.at_least(needed):
        who = f"token {caller.name!r} has role {caller.role.value}"
        raise ApiError(403, f"importing {media} needs role {needed.value}; {who}")
    limit = state.settings.max_import_bytes
    data = await read_bounded(request, limit, "the import body (limit: DCIKG_MAX_IMPORT_BYTES)")
    readable = state.access.readable(caller.role)
    if media in imports.REGISTER_SUFFIXES:
        report, version = await run_in_threadpool(
            guarded_write,
            state.write_lock,
            if_match,
            lambda: imports.version(state.store, readable),
            lambda: imports.import_register(state.store, data, media, by=caller.name),
        )
        result = ImportResult(loaded={report["source"]: report["rows"]}, version=version, report=report)
    else:
        counts, version = await run_in_threadpool(
            guarded_write,
            state.write_lock,
            if_match,
            lambda: imports.version(state.store, readable),
            lambda: imports.import_document(state.store, data, media),
        )
        result = ImportResult(loaded=counts, version=version)
    response.headers["ETag"] = quoted(version)
    return result
