"""Printing query rows for people (table) and scripts (json, csv)."""

from __future__ import annotations

import csv
import json
import sys

from rich.console import Console
from rich.table import Table

from kg.store import Row


def _text(value) -> str:
    return "" if value is None else str(value)


def print_rows(rows: list[Row], fmt: str, console: Console) -> None:
    columns = list(rows[0].keys()) if rows else []
    if fmt == "json":
        sys.stdout.write(
            json.dumps([{k: _text(v) or None for k, v in r.items()} for r in rows], ensure_ascii=False, indent=2) + "\n"
        )
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        for r in rows:
            w.writerow([_text(r[c]) for c in columns])
    else:
        table = Table(*columns)
        for r in rows:
            table.add_row(*[_text(r[c]) for c in columns])
        console.print(table)
        console.print(f"{len(rows)} row(s)")
