"""Reading a register file (CSV or JSON) into rows, with bounded cells."""


from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from loaders.register.model import COLUMNS, MAX_CELL, OPTIONAL_COLUMNS, Problem, RegisterError, Row
from vocab.terms import is_iri

# -- reading -----------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[Row]:
    """The rows of a register file (.csv or .json), as strings, each with its row number as a spreadsheet
    shows it; raises RegisterError on a bad layout."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = f"is not UTF-8 (byte {exc.start}); save it as UTF-8 (in Excel: 'CSV UTF-8')"
        raise RegisterError(name, [Problem(None, None, "", reason)]) from None
    except OSError as exc:
        raise RegisterError(name, [Problem(None, None, "", f"cannot read the file: {exc.strerror}")]) from None
    if path.suffix.lower() == ".json":
        return _json_rows(name, text)
    return _csv_rows(name, text)


def is_register_csv(path: Path) -> bool:
    """True for a CSV file: the only CSV the knowledge base reads is the register (its header is checked
    when it is read, naming every missing or unknown column)."""
    return path.suffix.lower() == ".csv"


SEPARATORS = (",", ";", "\t")


def separator(text: str) -> str:
    """The cell separator of a CSV, sniffed from its header line: ',' (the format), or ';' (a spreadsheet
    saved with French settings) or a tab, whichever the header holds most of."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _csv_rows(name: str, text: str) -> list[Row]:
    if len(text) > csv.field_size_limit():
        csv.field_size_limit(len(text))  # process-wide, only ever raised: the text is already in memory
    try:
        return _csv_records(name, csv.reader(text.splitlines(), delimiter=separator(text)))
    except csv.Error as exc:
        raise RegisterError(name, [Problem(None, None, "", f"malformed CSV: {exc}")]) from None


def _csv_records(name: str, reader) -> list[Row]:
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        raise RegisterError(name, problems)
    rows = []
    # numbered as a spreadsheet shows them: the header is row 1, the first data row row 2
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(n, None, "", f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        row = Row({c: "" for c in OPTIONAL_COLUMNS} | dict(zip(header, cells, strict=True)), n)
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


def _json_rows(name: str, text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegisterError(name, [Problem(None, None, "", f"malformed JSON: {exc}")]) from exc
    except RecursionError:
        raise RegisterError(name, [Problem(None, None, "", "malformed JSON: nested too deeply")]) from None
    items = data.get("items", data.get("instruments")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        reason = 'expected a list of instruments (or {"items": [...]})'
        raise RegisterError(name, [Problem(None, None, "", reason)])
    rows, problems = [], []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(n, None, "", "is not an object"))
            continue
        unknown = sorted(set(item) - set(COLUMNS))
        problems += [Problem(n, k, "", "unknown field") for k in unknown]
        row = Row({c: _json_cell(item.get(c)) for c in COLUMNS}, n)
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
    """What is wrong with the header (row 1): the columns may come in any order, each exactly once."""
    known = set(header) & set(COLUMNS)
    if not known:
        # nothing the register knows (another file, another separator): one line, not a line per column
        seen = header[0][:80] if header else ""
        return [Problem(1, None, seen, f"is not the register's header; it must name its columns, separated by "
                                       f"',' or ';': {','.join(COLUMNS)}")]  # fmt: skip
    problems = [Problem(1, c, "", "missing column") for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    problems += [Problem(1, c, "", "unknown column") for c in header if c not in COLUMNS]
    problems += [Problem(1, c, "", "appears twice") for c in sorted(known) if header.count(c) > 1]
    return problems
