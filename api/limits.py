"""A fair share of /sparql: how many queries one client may have running at once.

A client is its token (every address it comes from), else its address. The workers are few (one per core):
without a share, a handful of connections running expensive queries makes everyone else's wait for a
worker run out (measured: 14 anonymous connections made 3 of 4 other queries fail for 15 s)."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from contextlib import contextmanager

from api.problems import ApiError


class ClientLimiter:
    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._running: collections.Counter[str] = collections.Counter()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of `client`'s slots for the time of the block; 429 if it has none left. (The event loop
        runs one coroutine at a time: no lock needed between the test and the increment.)"""
        if self._running[client] >= self.per_client:
            raise ApiError(
                429,
                f"you already have {self.per_client} SPARQL quer{'y' if self.per_client == 1 else 'ies'} running "
                "(DCIKG_SPARQL_PER_CLIENT); wait for an answer before sending the next",
                {"Retry-After": "1"},
            )
        self._running[client] += 1
        try:
            yield
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
