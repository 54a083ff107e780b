"""What the app holds while it runs: settings, store, SPARQL runner, caches, tokens."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api.cache import AnswerCache
from api.limits import ClientLimiter
from kg.auth.access import GraphAccess
from kg.auth.tokens import TokenFile
from kg.services import competence
from kg.settings import Settings
from kg.sparql import Answer, Checked, Format
from kg.store import Store

T = TypeVar("T")


class Runner(Protocol):
    async def ready(self) -> list[str]: ...
    async def check(self, query: str, max_length: int, max_rows: int, deadline: float) -> Checked: ...
    async def run(
        self, q: Checked, fmt: Format, graphs: list[URIRef], deadline: float, max_rows: int, max_bytes: int
    ) -> Answer: ...
    def close(self) -> None: ...


@dataclass
class AppState:
    settings: Settings
    store: Store
    runner: Runner
    tokens: TokenFile
    access: GraphAccess
    backend: str = "embedded"
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _index: tuple[int, competence.Index] | None = None
    _index_lock: threading.Lock = field(default_factory=threading.Lock)
    answers: AnswerCache = field(init=False)
    sparql_share: ClientLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.answers = AnswerCache(self.settings.answer_cache)
        self.sparql_share = ClientLimiter(self.settings.sparql_per_client)

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        """`fn(*args)` from a coroutine: inline when the store is in this process (a generation check costs
        microseconds), in the threadpool when every store call is an HTTP request (the remote backend)."""
        if self.backend == "remote":
            return await run_in_threadpool(fn, *args)
        return fn(*args)

    def fresh_index(self, generation: int | None = None) -> competence.Index | None:
        """The competence index if it is at `generation` (the store's, read now when not given): no rebuild,
        async routes must not block the loop."""
        cached = self._index
        gen = self.store.generation if generation is None else generation
        return cached[1] if cached is not None and cached[0] == gen else None

    def index(self) -> competence.Index:
        """The competence index, rebuilt only when the store's generation changed."""
        gen = self.store.generation
        cached = self._index
        if cached is not None and cached[0] == gen:
            return cached[1]
        with self._index_lock:
            if self._index is None or self._index[0] != gen:
                self._index = (gen, competence.build_index(self.store))
            return self._index[1]
