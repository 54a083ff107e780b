"""What every `dci-kg` command shares: consoles, the --store and --json options, errors, opening the store."""

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
from kg.store.open import open_store

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


def fail(message: str, code: int = 1) -> None:
    """Print an error naming the problem and exit non-zero."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def open_or_fail(store: Path | None, write: bool = False) -> Store:
    """The store; opened for writing, it first completes what a stopped write left pending (and says so)."""
    try:
        opened = open_store(store, write=write)
        if write:
            for cut_off in commits.recover(opened):
                err.print(f"[yellow]note:[/] {cut_off.sentence()}", highlight=False)
        return opened
    except StoreError as exc:
        fail(str(exc))
        raise
