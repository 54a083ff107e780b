"""Reading a register file (CSV or JSON) into rows, with bounded cells."""


from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from loaders.register.model import COLUMNS, MAX_CELL, Problem, RegisterError
from vocab.terms import is_iri

# -- reading -----------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a register file (.csv or .json), as strings; raises RegisterError on a bad layout."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(name, [Problem(0, None, "", f"cannot read the file: {exc}")]) from exc
    if path.suffix.lower() == ".json":
        return _json_rows(name, text)
    return _csv_rows(name, text)


def is_register_csv(path: Path) -> bool:
    """True if the file is a CSV whose header is the register's columns."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return tuple(h.strip() for h in header) == COLUMNS


def _csv_rows(name: str, text: str) -> list[dict[str, str]]:
    if len(text) > csv.field_size_limit():
        csv.field_size_limit(len(text))  # process-wide, only ever raised: the text is already in memory
    try:
        return _csv_records(name, csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise RegisterError(name, [Problem(0, None, "", f"malformed CSV: {exc}")]) from None


def _csv_records(name: str, reader) -> list[dict[str, str]]:
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        raise RegisterError(name, problems)
    rows = []
    for n, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(n, None, "", f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        row = dict(zip(header, cells, strict=True))
        problems += _long_cells(n, row)
        rows.append(row)
    if problems:
        raise RegisterError(name, problems)
    return rows


def is_url(text: str) -> bool:
    """A source that is an http(s) IRI the store accepts becomes an IRI; anything else stays text."""
    return re.match(r"^https?://\S+$", text) is not None and is_iri(text)


def _long_cells(n: int, row: dict[str, str]) -> list[Problem]:
    return [
        Problem(n, column, "", f"is {len(value)} characters long; a cell holds at most {MAX_CELL}")
        for column, value in row.items()
        if len(value) > MAX_CELL
    ]


def _json_rows(name: str, text: str) -> list[dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegisterError(name, [Problem(0, None, "", f"malformed JSON: {exc}")]) from exc
    except RecursionError:
        raise RegisterError(name, [Problem(0, None, "", "malformed JSON: nested too deeply")]) from None
    items = data.get("items", data.get("instruments")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise RegisterError(name, [Problem(0, None, "", 'expected a list of instruments (or {"items": [...]})')])
    rows, problems = [], []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(n, None, "", "is not an object"))
            continue
        unknown = sorted(set(item) - set(COLUMNS))
        problems += [Problem(n, k, "", "unknown field") for k in unknown]
        row = {c: _json_cell(item.get(c)) for c in COLUMNS}
        problems += _long_cells(n, row)
        rows.append(row)
    if problems:
        raise RegisterError(name, problems)
    return rows


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _header_problems(header: list[str]) -> list[Problem]:
    problems = [Problem(0, c, "", "missing column") for c in COLUMNS if c not in header]
    problems += [Problem(0, c, "", "unknown column") for c in header if c not in COLUMNS]
    if not problems and tuple(header) != COLUMNS:
        problems.append(Problem(0, None, ",".join(header), f"columns must be, in order: {','.join(COLUMNS)}"))
    return problems
