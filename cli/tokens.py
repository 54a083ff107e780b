"""`dci-kg token`: bearer tokens of the API, created and revoked."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cli.common import JsonOpt, err, fail, out, print_json

app = typer.Typer(help="Bearer tokens of the API (stored hashed in $DCIKG_TOKENS_FILE).", no_args_is_help=True)


def _tokens():
    from kg.auth.tokens import TokenFile
    from kg.settings import Settings

    path = Settings().tokens_file
    if path is None:
        fail("set DCIKG_TOKENS_FILE to the token file", 2)
    return TokenFile(path)


@app.command("create")
def token_create(
    role: Annotated[str, typer.Option("--role", help="reader | negotiator | admin")],
    name: Annotated[str | None, typer.Option("--name", help="A name to revoke it by")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from kg.auth.access import Role
    from kg.auth.tokens import TokenError

    try:
        token, name = _tokens().create(Role(role), name)
    except ValueError as exc:  # TokenError and an unknown role
        fail(
            str(exc) if isinstance(exc, TokenError) else f"--role must be reader, negotiator or admin, not {role!r}", 2
        )
        raise
    err.print(f"token {name!r} (role {role}) created; it is shown only this once:")
    if as_json:
        print_json({"name": name, "role": role, "token": token})
        return
    sys.stdout.write(token + "\n")


@app.command("list")
def token_list(as_json: JsonOpt = False) -> None:
    """The tokens by name and role (a token itself is never shown again; only its hash is stored)."""
    from kg.auth.tokens import TokenError

    try:
        tokens = _tokens().listing()
    except TokenError as exc:
        fail(str(exc))
        return
    if as_json:
        print_json({"tokens": tokens})
        return
    table = Table("name", "role", "created")
    for t in tokens:
        table.add_row(t["name"], t["role"], t["created"] or "")
    out.print(table)
    out.print(f"{len(tokens)} token(s)")


@app.command("revoke")
def token_revoke(name: Annotated[str, typer.Argument(help="The token's name")]) -> None:
    """Revoke a token by name."""
    from kg.auth.tokens import TokenError

    try:
        _tokens().revoke(name)
    except TokenError as exc:
        fail(str(exc))
    out.print(f"token {name!r} revoked")
