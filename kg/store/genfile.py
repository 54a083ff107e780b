"""The generation of a store owned on this host, in a file every API process of `serve --workers N` reads.

Over a local owner (kg/store/remote.py with a path), every write goes through one of these processes, which
replaces the file's value after the write request returns (committed, or failed part-way): a process that
reads the new value reads the new data; one that read the old value may have answered from the new data,
which only makes an entry newer than its key. Reading costs a pread (microseconds) instead of a SPARQL
request to the owner per call. A torn or missing value reads as a different number: a cache miss, never a
stale hit."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

_SIZE = 8


def generation_path(directory: Path, key: str) -> Path:
    return directory / f"generation-{hashlib.sha256(key.encode()).hexdigest()[:24]}"


class GenerationFile:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < _SIZE:
            self.bump()

    def read(self) -> int:
        return int.from_bytes(os.pread(self._fd, _SIZE, 0).ljust(_SIZE, b"\0"), "big")

    def bump(self) -> None:
        os.pwrite(self._fd, secrets.token_bytes(_SIZE), 0)

    def close(self) -> None:
        os.close(self._fd)
