"""Request bodies read in a bounded way: never more than a limit in memory, 413 past it."""

from __future__ import annotations

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
