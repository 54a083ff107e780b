"""What every `dci-kg` command shares: consoles, the --store option, errors, opening the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kg.services import commits
from kg.store import Store, StoreError
from kg.store.open import open_store

out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store directory (default: $DCIKG_STORE)")]


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
