"""Errors as RFC 9457 `application/problem+json`: each failure kind mapped on purpose."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.auth.tokens import TokenError
from kg.gate import WriteRejected
from kg.services import agreements
from kg.services.agreements.lifecycle import IllegalTransition, UnknownStatus
from kg.services.directory import NotFound
from kg.services.imports import UnsupportedMedia
from kg.services.versions import VersionMismatch
from kg.sparql import (
    DatasetNotKept,
    NotAcceptable,
    QueryRefused,
    QueryTimeout,
    ResultTooLarge,
    WorkerLost,
    WorkersUnavailable,
)
from kg.store import QueryError, StoreError, WriteConflict
from loaders.legal_text import LegalTextError
from loaders.rdf_files import RdfFileError
from loaders.register import RegisterError

log = logging.getLogger("dci-kg.api")
PROBLEM = "application/problem+json"
REGISTER_DETAIL = 10  # register problems spelled out in `detail`; every one (up to 500) is in `problems`


class RegisterProblem(BaseModel):
    row: int | None = Field(
        description="The row as a spreadsheet numbers it (CSV: header 1, first data row 2; JSON: item from 1); "
        "null: the file itself"
    )
    column: str | None = Field(description="The column, if the problem is in one")
    value: str = Field("", description="The cell's value, if it is the problem")
    reason: str = Field(description="What is wrong")


class Problem(BaseModel):
    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Bad Request"])
    status: int = Field(examples=[400])
    detail: str = Field(examples=["SPARQL syntax error: …"])
    violations: list[str] | None = Field(None, description="SHACL violations, for a refused write")
    problems: list[RegisterProblem] | None = Field(
        None, description="Register problems (row, column, value, reason), for a refused register import"
    )
    line: int | None = Field(None, description="Line (from 1) of a SPARQL syntax error in the query sent")
    column: int | None = Field(None, description="Column (from 1) of a SPARQL syntax error in the query sent")


class ApiError(Exception):
    """An error a service or router raises on purpose, with its HTTP status."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem(status: int, detail: str, headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    body = Problem(title=_TITLES.get(status, "Error"), status=status, detail=detail, **extra)
    # None dropped at the top only: a register problem keeps `row` and `column` null when they do not apply
    content = {k: v for k, v in body.model_dump().items() if v is not None}
    return JSONResponse(content, status, headers=headers, media_type=PROBLEM)


def responses(*codes: int) -> dict:
    """OpenAPI entries for the problems a route may answer."""
    return {c: {"model": Problem, "content": {PROBLEM: {}}, "description": _TITLES[c]} for c in codes}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_r: Request, exc: ApiError):
        return problem(exc.status, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_r: Request, exc: StarletteHTTPException):
        return problem(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_r: Request, exc: RequestValidationError):
        msgs = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return problem(422, "; ".join(msgs))

    @app.exception_handler(QueryRefused)
    async def _bad_query(_r: Request, exc: QueryRefused):
        # the caller's own SPARQL (/sparql goes through kg.sparql); a syntax error says where it is
        return problem(400, str(exc), line=getattr(exc, "line", None), column=getattr(exc, "column", None))

    @app.exception_handler(QueryError)
    async def _broken_query(r: Request, exc: QueryError):
        # every other query is ours (a bundled .rq, or one the code builds): a refusal is our bug, not the caller's
        log.error("a query of the application failed on %s %s: %s", r.method, r.url.path, exc)
        return problem(500, "internal error: a query of the application failed; this is a bug, please report it")

    @app.exception_handler(DatasetNotKept)
    async def _dataset_not_kept(_r: Request, exc: DatasetNotKept):
        return problem(403, str(exc))

    @app.exception_handler(NotAcceptable)
    async def _not_acceptable(_r: Request, exc: NotAcceptable):
        return problem(406, str(exc))

    @app.exception_handler(QueryTimeout)
    async def _timeout(_r: Request, exc: QueryTimeout):
        return problem(503, str(exc), {"Retry-After": "1"})

    @app.exception_handler(ResultTooLarge)
    async def _too_large(_r: Request, exc: ResultTooLarge):
        return problem(413, str(exc))

    @app.exception_handler(WorkerLost)
    @app.exception_handler(WorkersUnavailable)
    async def _worker(_r: Request, exc: Exception):
        return problem(503, str(exc), {"Retry-After": "1"})

    @app.exception_handler(NotFound)
    @app.exception_handler(agreements.NotFound)
    async def _not_found(_r: Request, exc: Exception):
        return problem(404, str(exc))

    @app.exception_handler(IllegalTransition)
    @app.exception_handler(agreements.AlreadyExists)
    async def _conflict(_r: Request, exc: Exception):
        return problem(409, str(exc))

    @app.exception_handler(UnknownStatus)
    @app.exception_handler(agreements.UnknownCode)
    @app.exception_handler(agreements.InvalidValue)
    async def _unknown_code(_r: Request, exc: Exception):
        return problem(422, str(exc))

    @app.exception_handler(RegisterError)
    async def _bad_register(_r: Request, exc: RegisterError):
        shown = "; ".join(str(p) for p in exc.problems[:REGISTER_DETAIL])
        more = f"; … and {len(exc.problems) - REGISTER_DETAIL} more" if len(exc.problems) > REGISTER_DETAIL else ""
        detail = f"{exc.source}: {len(exc.problems)} problem(s); nothing was imported: {shown}{more}"
        return problem(422, detail, problems=[p.as_dict() for p in exc.problems[:500]])

    @app.exception_handler(UnsupportedMedia)
    async def _media(_r: Request, exc: UnsupportedMedia):
        return problem(415, str(exc))

    @app.exception_handler(WriteRejected)
    async def _rejected(_r: Request, exc: WriteRejected):
        detail = f"write refused: {len(exc.violations)} SHACL violation(s); the store is unchanged"
        return problem(422, detail, violations=[str(v) for v in exc.violations[:200]])

    @app.exception_handler(LegalTextError)
    @app.exception_handler(RdfFileError)
    async def _bad_data(_r: Request, exc: Exception):
        return problem(400, f"{exc} (nothing was loaded)")

    @app.exception_handler(VersionMismatch)
    async def _stale(_r: Request, exc: VersionMismatch):
        return problem(412, str(exc), {"ETag": f'"{exc.now}"'})

    @app.exception_handler(WriteConflict)
    async def _race(_r: Request, exc: WriteConflict):
        return problem(409, f"{exc} (other writers kept changing it)")

    @app.exception_handler(StoreError)
    async def _store(_r: Request, exc: StoreError):
        return problem(503, f"the store is unavailable: {exc}")

    @app.exception_handler(TokenError)
    async def _tokens(_r: Request, exc: TokenError):
        log.error("token file: %s", exc)
        return problem(500, "the token file cannot be read")

    @app.exception_handler(Exception)
    async def _bug(r: Request, exc: Exception):
        log.error("unhandled error on %s %s", r.method, r.url.path, exc_info=exc)
        return problem(500, f"internal error ({type(exc).__name__}); this is a bug, please report it")
