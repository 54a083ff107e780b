"""Bearer tokens with roles, kept hashed (SHA-256) in a JSON file; the token itself is shown once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from kg.auth.access import Role


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role


ANONYMOUS = Caller("anonymous", Role.reader)


def _digest(token: str) -> str:
    # tokens are 256 random bits: a plain hash is enough (no password stretching needed)
    return hashlib.sha256(token.encode()).hexdigest()


class TokenFile:
    """The token file, re-read when it changes on disk (so `token revoke` applies to a running server)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._by_hash: dict[str, Caller] = {}

    def _entries(self) -> list[dict]:
        if self.path is None or not self.path.exists():
            return []
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))["tokens"]
        except (ValueError, KeyError) as exc:
            raise TokenError(f"{self.path}: not a token file: {exc}") from exc

    def _write(self, entries: list[dict]) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"tokens": entries}, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)

    def create(self, role: Role, name: str | None = None) -> tuple[str, str]:
        """A new token (returned once, never stored) and its name."""
        if self.path is None:
            raise TokenError("no token file: set DCIKG_TOKENS_FILE")
        entries = self._entries()
        name = name or f"{role.value}-{secrets.token_hex(3)}"
        if any(e["name"] == name for e in entries):
            raise TokenError(f"a token named {name!r} exists already; revoke it first")
        token = secrets.token_urlsafe(32)
        entries.append(
            {"name": name, "role": role.value, "sha256": _digest(token), "created": dt.datetime.now(dt.UTC).isoformat()}
        )
        self._write(entries)
        return token, name

    def listing(self) -> list[dict]:
        """Every token's name, role and creation time (never its hash)."""
        return [{"name": e["name"], "role": e["role"], "created": e.get("created")} for e in self._entries()]

    def revoke(self, name: str) -> None:
        if self.path is None:
            raise TokenError("no token file: set DCIKG_TOKENS_FILE")
        entries = self._entries()
        kept = [e for e in entries if e["name"] != name]
        if len(kept) == len(entries):
            raise TokenError(f"no token named {name!r}")
        self._write(kept)

    def lookup(self, token: str) -> Caller | None:
        """The caller a token belongs to, or None for an unknown or revoked token."""
        if self.path is None:
            return None
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._stamp:
            self._by_hash = {e["sha256"]: Caller(e["name"], Role(e["role"])) for e in self._entries()}
            self._stamp = stamp
        return self._by_hash.get(_digest(token))
