"""ETag / If-Match for every write: a write checks the current version of what it changes against the
client's `If-Match` and commits under one lock, so of two writes based on the same version one wins and
the other gets 412. Reused by every write endpoint (import now; agreements and transitions later)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from api.problems import ApiError

T = TypeVar("T")


def quoted(version: str) -> str:
    return f'"{version}"'


def matches(if_match: str, version: str) -> bool:
    tags = [t.strip() for t in if_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == quoted(version) for t in tags)


def guarded_write(
    lock: threading.Lock,
    if_match: str | None,
    current: Callable[[], str],
    write: Callable[[], T],
) -> tuple[T, str]:
    """Check `If-Match` against `current()`, run `write()`, return its result and the new version.

    The lock makes check-and-write atomic within this process; deployments with several API processes
    over a remote store need the store-side check (a conditional update) the agreements module adds.
    """
    with lock:
        if if_match is not None:
            now = current()
            if not matches(if_match, now):
                raise ApiError(
                    412, f"the resource changed (now {quoted(now)}, you sent If-Match: {if_match}); re-read it"
                )
        result = write()
        return result, current()
