"""A small least-recently-used cache of serialised answers.

An answer depends only on the request and on the store's generation, which every write moves: keys carry
the generation, so a write makes every older entry unreachable (they age out) and no answer outlives the
data it was computed from."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class AnswerCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in the threadpool, async ones on the loop
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, computed (outside the lock) when missing."""
        if self.size <= 0:
            return compute()
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
