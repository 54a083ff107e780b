"""`dci-kg agreements …`: thin commands over kg.services.agreements (tables for people, --json for scripts)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import EndpointOpt, JsonOpt, StoreOpt, UpdateEndpointOpt, err, fail, out
from cli.common import open_or_fail as _open
from kg import gate
from kg.services import agreements
from kg.services.agreements.views import DEFAULT_LIMIT, MAX_LIMIT
from kg.store import Store
from loaders.register import COLUMNS, RegisterError

app = typer.Typer(help="Agreements and technical arrangements: register, life-cycle, history.", no_args_is_help=True)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command("list")
def list_(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code of the partner")] = None,
    status: Annotated[str | None, typer.Option(help="Status code (e.g. in_force)")] = None,
    kind: Annotated[str | None, typer.Option(help="Kind code (e.g. technical_arrangement)")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic code of the thesaurus")] = None,
    stalled_years: Annotated[int | None, typer.Option(help="Signed more than N years ago, not in force")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT, help="Instruments per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, typer.Option(min=0, help="Instruments to skip (next page: offset + limit)")] = 0,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """List instruments, with optional filters: one page (--limit, --offset) and the total."""
    s = _open(store)
    try:
        result = agreements.list_instruments(
            s, country=country, status=status, kind=kind, topic=topic, stalled_years=stalled_years,
            include_restricted=True,  # the command line reads the store's files: everything is cleared
            limit=limit, offset=offset,
        )  # fmt: skip
    except agreements.UnknownCode as exc:
        fail(str(exc), 2)
        return
    finally:
        s.close()
    if as_json:
        _print_json(result)
        return
    table = Table("id", "kind", "country", "status", "signed", "in force", "parent", "title")
    for i in result["items"]:
        table.add_row(
            i["id"], i["kind"], i["partner_country"], i["status"] or "", i["signed_on"] or "",
            i["in_force_on"] or "", i["parent_id"] or "", i["title"],
        )  # fmt: skip
    out.print(table)
    shown = len(result["items"])
    if shown < result["total"]:
        last = f"{offset + 1}-{offset + shown}" if shown else "none"
        out.print(f"{last} of {result['total']} instrument(s) (--offset {offset + limit} for the next page)")
    else:
        out.print(f"{result['total']} instrument(s)")


@app.command()
def show(instrument_id: Annotated[str, typer.Argument(help="Register id")], as_json: JsonOpt = False,
         store: StoreOpt = None) -> None:  # fmt: skip
    """Every field of one instrument, and its history."""
    with _reading(store) as s:
        data = agreements.show(s, instrument_id, include_restricted=True)
    if as_json:
        _print_json(data)
        return
    for k, v in data.items():
        if k != "history":
            out.print(f"[bold]{k}[/]: {', '.join(v) if isinstance(v, list) else ('' if v is None else v)}",
                      highlight=False)  # fmt: skip
    _history_table(data["history"])


@contextmanager
def _reading(store: Path | None) -> Iterator[Store]:
    """The store, open for one read; an unknown instrument is an error naming it."""
    s = _open(store)
    try:
        yield s
    except agreements.NotFound as exc:
        fail(str(exc))
    finally:
        s.close()


def _history_table(events: list[dict]) -> None:
    table = Table("#", "from", "to", "date", "by", "source", "note", title="history")
    for e in events:
        table.add_row(str(e["sequence"]), e["from"] or "", e["to"], e["date"] or "", e["by"] or "",
                      "; ".join(e["sources"]), e["note"] or "")  # fmt: skip
    out.print(table)


@app.command()
def history(instrument_id: Annotated[str, typer.Argument(help="Register id")], as_json: JsonOpt = False,
            store: StoreOpt = None) -> None:  # fmt: skip
    """Every status change of one instrument, in order."""
    with _reading(store) as s:
        events = agreements.history(s, instrument_id, include_restricted=True, check=True)
    if as_json:
        _print_json({"id": instrument_id, "events": events})
        return
    _history_table(events)


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="Register file (.csv or .json)")], as_json: JsonOpt = False,
            by: Annotated[str, typer.Option(help="Who records the import")] = agreements.IMPORT_AGENT,
            store: StoreOpt = None, endpoint: EndpointOpt = None,
            update_endpoint: UpdateEndpointOpt = None) -> None:  # fmt: skip
    """Import a register file: every row or none; the same id updates; a changed status becomes an event."""
    if not file.is_file():
        fail(f"no such file: {file}", 2)
    s = _open(store, write=True, endpoint=endpoint, update_endpoint=update_endpoint)
    try:
        report = agreements.import_file(s, file, by=by)
    except (RegisterError, gate.WriteRejected) as exc:
        fail(str(exc))
        return
    finally:
        s.close()
    if as_json:
        _print_json(report.as_dict())
        return
    for cut in report.interrupted:
        err.print(f"[yellow]note:[/] an earlier import of {cut['source']} (started {cut['at']}) was cut off before its "
                  "inferences were drawn; they were completed before this import", highlight=False)  # fmt: skip
    out.print(f"{file}: {report.rows} row(s); created {len(report.created)}, updated {len(report.updated)}, "
              f"unchanged {len(report.unchanged)}; {report.status_changes} status change(s)")  # fmt: skip
    for b in report.behind:
        out.print(f"  row {b['row']}, {b['id']}: left as in the store ({b['store_status']}); the file's status "
                  f"{b['file_status'] or '(empty)'} is behind it", highlight=False)  # fmt: skip


@app.command()
def transition(
    instrument_id: Annotated[str, typer.Argument(help="Register id")],
    status: Annotated[str, typer.Argument(help="New status code")],
    date: Annotated[str, typer.Option("--date", help="Date of the step, YYYY-MM-DD")],
    note: Annotated[str | None, typer.Option(help="Note")] = None,
    by: Annotated[str, typer.Option(help="Who records it")] = "dci-kg",
    source: Annotated[str | None, typer.Option(help="Source (URL or reference)")] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Record a status change (refused if the life-cycle does not allow it)."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        fail(f"--date must be YYYY-MM-DD, got {date!r}", 2)
        return
    s = _open(store, write=True)
    try:
        result = agreements.transition(s, instrument_id, status, date=day, note=note, by=by, source=source)
    except (agreements.IllegalTransition, agreements.InvalidValue, agreements.NotFound, gate.WriteRejected) as exc:
        fail(str(exc))
        return
    finally:
        s.close()
    if as_json:
        _print_json(result)
        return
    out.print(f"{result['id']}: {result['from'] or '(none)'} -> {result['to']} on {result['date']} "
              f"(change {result['sequence']})", highlight=False)  # fmt: skip


@app.command()
def export(fmt: Annotated[str, typer.Option("--format", help="csv | json | ttl")] = "csv",
           store: StoreOpt = None) -> None:  # fmt: skip
    """Write the register to standard output (csv and json re-import as they are; ttl with the history)."""
    if fmt not in ("csv", "json", "ttl"):
        fail(f"--format must be csv, json or ttl, got {fmt!r}", 2)
    s = _open(store)
    try:
        if fmt == "ttl":
            sys.stdout.write(agreements.export_turtle(s, include_restricted=True))
            return
        rows = agreements.export_rows(s, include_restricted=True)
    finally:
        s.close()
    if fmt == "json":
        _print_json({"items": rows})
        return
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    sys.stdout.write(buf.getvalue())
