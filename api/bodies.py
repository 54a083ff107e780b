"""Request bodies read in a bounded way: never more than a limit in memory, 413 past it."""

from __future__ import annotations

import json

from fastapi import Request

from api.problems import ApiError


async def read_bounded(request: Request, limit: int, what: str = "the body") -> bytes:
    """The body, refused as soon as it is known to exceed `limit` bytes (by Content-Length if declared,
    else while it streams in, so a chunked body cannot grow memory past the limit either)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(what, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(what: str, limit: int) -> ApiError:
    return ApiError(413, f"{what} is larger than {limit} bytes; nothing was read further nor imported")


class BodyLimit:
    """ASGI middleware: no request body over `limit` bytes reaches a route (413). A declared length is
    checked before anything is read; a chunked body is read here up to the limit, then handed on."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.limit:
                await _problem_413(send, self.limit)
                return
            await self.app(scope, receive, send)
            return
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await _problem_413(send, self.limit)
                return
            if not message.get("more_body"):
                break
        replay = iter(messages)

        async def replayed():
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)


async def _problem_413(send, limit: int) -> None:
    detail = f"the request body is larger than {limit} bytes (DCIKG_MAX_IMPORT_BYTES); nothing was read further"
    body = json.dumps({"type": "about:blank", "title": "Content Too Large", "status": 413, "detail": detail}).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
