"""The generation of a store owned on this host, in a file every API process of `serve --workers N` reads,
and beside it the log of what each generation changed.

Over a local owner (kg/store/remote.py with a path), every write goes through one of these processes, which
replaces the file's value after the write request returns (committed, or failed part-way): a process that
reads the new value reads the new data; one that read the old value may have answered from the new data,
which only makes an entry newer than its key. Reading costs a pread (microseconds) instead of a SPARQL
request to the owner per call. A torn or missing value reads as a different number: a cache miss, never a
stale hit.

The log (one line per generation: its value, then the subjects, predicates and graphs the write touched, or "*"
when they are not known) lets a process that holds a model of the store at an older generation read again
only what changed since (kg.services.agreements.readmodel) instead of rebuilding it from every quad. A line
is appended before its value is written, under one lock, so a value a reader sees is always in the log
already. The log is cut to its newer half past MAX_LOG bytes; a generation no longer in it reads as
"unknown" (rebuild), never as "nothing changed"."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

from kg.store.base import Change

_SIZE = 8
MAX_LOG = 512 * 1024  # bytes: the log is cut to its newer half past this
MAX_TERMS = 5000  # a write touching more subjects than this is logged as "*" (a reader rebuilds anyway)


def generation_path(directory: Path, key: str) -> Path:
    return directory / f"generation-{hashlib.sha256(key.encode()).hexdigest()[:24]}"


class GenerationFile:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        self.log_path = path.with_name(path.name + ".log")
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._lock = threading.Lock()  # flock excludes other open files, not this one's threads
        if os.fstat(self._fd).st_size < _SIZE:
            self.bump()

    def read(self) -> int:
        return int.from_bytes(os.pread(self._fd, _SIZE, 0).ljust(_SIZE, b"\0"), "big")

    def bump(self, change: Change | None = None) -> None:
        """A new generation, logged with what its write touched (None: unknown)."""
        value = secrets.token_bytes(_SIZE)
        with self._locked():
            self._append(f"{value.hex()}\t{_terms(change)}\n".encode())
            os.pwrite(self._fd, value, 0)

    def since(self, generation: int, now: int) -> Change | None:
        """What changed from `generation` to `now` (both read from this file), or None when the log does not
        say (a write logged as unknown, a generation cut from the log or never in it)."""
        if generation == now:
            return Change(frozenset(), frozenset())
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return None
        start = data.rfind(f"{generation:016x}\t".encode())
        if start < 0 or (start > 0 and data[start - 1 : start] != b"\n"):
            return None
        subjects: set[str] = set()
        predicates: set[str] = set()
        graphs: set[str] = set()
        last = None
        for line in data[start:].split(b"\n")[1:]:
            if not line:
                continue
            value, _, rest = line.decode().partition("\t")
            if rest == "*":
                return None
            s, p, gs = [*rest.split("\t"), "", ""][:3]
            subjects.update(s.split())
            predicates.update(p.split())
            graphs.update(gs.split())
            last = value
            if int(value, 16) == now:
                break
        if last is None or int(last, 16) != now:
            return None
        return Change(frozenset(subjects), frozenset(predicates), frozenset(graphs))

    def close(self) -> None:
        os.close(self._fd)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _append(self, line: bytes) -> None:
        """Under the lock: one line at the end of the log, the log first cut to its newer half when long."""
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > MAX_LOG:
                data = self.log_path.read_bytes()
                cut = data.find(b"\n", len(data) // 2) + 1
                tmp = self.log_path.with_name(self.log_path.name + ".tmp")
                tmp.write_bytes(data[cut:])
                os.replace(tmp, self.log_path)  # readers open the log by name: the old one or the new one
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def _terms(change: Change | None) -> str:
    if change is None or len(change.subjects) > MAX_TERMS:
        return "*"
    return "\t".join(" ".join(sorted(terms)) for terms in (change.subjects, change.predicates, change.graphs))
