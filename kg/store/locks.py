"""A lock shared by every process of this host that writes to one remote store.

Oxigraph's updates run at "repeatable read": two concurrent DELETE/INSERT … WHERE requests each evaluate
their WHERE on their own snapshot and both commit (measured: of 6 concurrent guarded creations of one id,
3 landed). So a conditional update is checked and written atomically only if no other conditional write
runs at the same time: dci-kg processes on one host take this lock (flock on a file named after the update
endpoint) around the guarded update and its read-back. Processes on other hosts cannot see it: what slips
through is detected afterwards (RemoteStore._verify) and reported, never passed over in silence."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_path(directory: Path, key: str) -> Path:
    return directory / f"write-{hashlib.sha256(key.encode()).hexdigest()[:24]}.lock"


@contextmanager
def host_lock(directory: Path, key: str) -> Iterator[None]:
    """Exclusive, across the processes of this host, for `key` (blocks until free; released on exit, or by
    the kernel when the process dies)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(lock_path(directory, key), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
