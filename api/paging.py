"""Page links (RFC 8288 `Link`): first, prev, next and last of a paged list, keeping every other parameter."""

from __future__ import annotations

from starlette.datastructures import URL


def page_offsets(total: int, limit: int, offset: int) -> dict[str, int]:
    """The offsets of the pages around this one (`prev`, `next` only where there is one)."""
    last = max(0, (total - 1) // limit * limit)
    out = {"first": 0, "last": last}
    if offset > 0:
        out["prev"] = max(0, min(offset - limit, last))
    if offset + limit < total:
        out["next"] = offset + limit
    return out


def page_url(url: URL, limit: int, offset: int) -> str:
    """`url` with this page's limit and offset, as a path and query (relative to the server)."""
    moved = url.include_query_params(limit=limit, offset=offset)
    return f"{moved.path}?{moved.query}"


def page_links(url: URL, total: int, limit: int, offset: int) -> str:
    """The `Link` header of one page: `<…>; rel="next"`, … (empty when the list fits one page)."""
    if total <= limit and offset == 0:
        return ""
    return ", ".join(
        f'<{page_url(url, limit, o)}>; rel="{rel}"' for rel, o in page_offsets(total, limit, offset).items()
    )
