"""What every `dci-kg` command shares: consoles, the --store, --endpoint and --json options, errors, opening the
store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from typer.core import TyperOption

from kg.services import commits
from kg.settings import default_store_dir
from kg.store import Store, StoreError
from kg.store.open import open_configured, open_store

out = Console()
err = Console(stderr=True)



def _no_type_for_flags(display_type_rich):
    """A flag takes no value: typer's help showed `<bool>` after each; it shows nothing now."""

    def display(self, ctx):
        return None if self.is_flag else display_type_rich(self, ctx)

    return display


TyperOption.display_type_rich = _no_type_for_flags(TyperOption.display_type_rich)


def _store_help() -> str:
    """The real default, as this shell would get it."""
    where = os.environ.get("DCIKG_STORE")
    now = f"{where}, from $DCIKG_STORE" if where else f"$DCIKG_STORE, else {default_store_dir()}"
    return f"Store directory \\[default: {now}]"


StoreOpt = Annotated[Path | None, typer.Option("--store", metavar="DIR", help=_store_help(), show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts) instead of a table")]


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


EndpointOpt = Annotated[
    str | None,
    typer.Option("--endpoint", help="Remote SPARQL 1.1 query endpoint instead of the embedded store "
                 "(default: $DCIKG_SPARQL_ENDPOINT)"),
]  # fmt: skip
UpdateEndpointOpt = Annotated[
    str | None, typer.Option("--update-endpoint", help="Its update endpoint (default: the query endpoint)")
]


def fail(message: str, code: int = 1) -> None:
    """Print an error naming the problem and exit non-zero."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def open_or_fail(
    store: Path | None, write: bool = False, endpoint: str | None = None, update_endpoint: str | None = None
) -> Store:
    """The store a command works on: --endpoint (or $DCIKG_SPARQL_ENDPOINT) names a SPARQL server, else the
    embedded store (--store, or $DCIKG_STORE). Opened for writing, it first completes what a stopped write left
    pending (and says so)."""
    from kg.settings import Settings

    if store is not None and endpoint is not None:
        fail("give --store or --endpoint, not both", 2)
    try:
        settings = Settings(**({"sparql_endpoint": endpoint, "sparql_update_endpoint": update_endpoint} if endpoint
                               else {}))  # fmt: skip
    except ValueError as exc:
        fail(str(exc), 2)
        raise
    try:
        if settings.sparql_endpoint and store is None:
            opened = open_configured(settings)
        else:
            opened = open_store(store, write=write)
        if write:
            for cut_off in commits.recover(opened):
                err.print(f"[yellow]note:[/] {cut_off.sentence()}", highlight=False)
        return opened
    except StoreError as exc:
        fail(str(exc))
        raise
