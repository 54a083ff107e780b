"""What every `dci-kg` command shares: consoles, the --store option, errors, opening the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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
    try:
        return open_store(store, write=write)
    except StoreError as exc:
        fail(str(exc))
        raise
