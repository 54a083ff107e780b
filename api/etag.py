"""ETag / If-Match of the import endpoint, whose version is a hash of every importable graph: checked against
the client's `If-Match` under this process's lock. What the import writes is also conditional in the store
on the revision of every instrument it changes (kg.store.Expect), so a writer in another process is never
overwritten; the instruments' own writes check If-Match where they write (kg.services.agreements)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from api.problems import ApiError
from kg.services.versions import matches

T = TypeVar("T")


def quoted(version: str) -> str:
    return f'"{version}"'


def guarded_write(
    lock: threading.Lock,
    if_match: str | None,
    current: Callable[[], str],
    write: Callable[[], T],
) -> tuple[T, str]:
    """Check `If-Match` against `current()`, run `write()`, return its result and the new version."""
    with lock:
        if if_match is not None:
            now = current()
            if not matches(if_match, now):
                raise ApiError(
                    412, f"the resource changed (now {quoted(now)}, you sent If-Match: {if_match}); re-read it"
                )
        result = write()
        return result, current()
