"""The `dci-kg` command line: thin commands that parse options, call one service, shape the output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.i18n import translator
from cli.casefile import print_case_file
from cli.common import EndpointOpt, JsonOpt, StoreOpt, UpdateEndpointOpt, err, fail, out, print_json
from cli.common import open_or_fail as _open
from cli.query import query
from kg import gate, queries
from kg.services import competence
from kg.store import StoreError
from loaders.legal_text import LegalTextError
from loaders.rdf_files import RdfFileError
from loaders.register import RegisterError
from vocab import citations

app = typer.Typer(
    help="Knowledge graph of the DCI's mandates, directorates and security agreements.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DateOpt = Annotated[
    str | None, typer.Option("--at", metavar="DATE", help="Date of the question, YYYY-MM-DD [default: today]")
]


def parse_date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--at must be a date YYYY-MM-DD, got {value!r}", 2)
        raise


@app.command()
def init(
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Build (or rebuild) the store from the bundled data: ontology, countries, reference data, legal texts,
    and the bundled register (instruments already in the store are kept as they are)."""
    s = _open(store, write=True, endpoint=endpoint, update_endpoint=update_endpoint)
    try:
        from kg.services.build import init as build

        counts = gate_call(lambda: build(s))
    finally:
        s.close()
    if as_json:
        print_json({"graphs": counts})
        return
    table = Table("graph", "triples", title="dci-kg init")
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)


def gate_call(fn):
    """Run a write; turn every refusal into a readable error and a non-zero exit."""
    try:
        return fn()
    except gate.WriteRejected as exc:
        fail(str(exc))
    except (LegalTextError, RdfFileError, RegisterError) as exc:
        fail(f"{exc} (nothing was loaded)")
    except StoreError as exc:
        fail(str(exc))


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Legal texts (.md), RDF files or register files (.csv, .json)")],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Load files through the SHACL gate: all of them, or none."""
    from kg.services.build import load_files

    for f in files:
        if not f.is_file():
            fail(f"no such file: {f}", 2)
    s = _open(store, write=True, endpoint=endpoint, update_endpoint=update_endpoint)
    try:
        counts = gate_call(lambda: load_files(s, files))
    finally:
        s.close()
    if as_json:
        print_json({"loaded": counts})
        return
    for name, n in counts.items():
        out.print(f"loaded {n} {'row(s)' if Path(name).suffix in ('.csv', '.json') else 'triples'} from {name}")


@app.command()
def validate(as_json: JsonOpt = False, store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
    """Validate the whole graph against the shapes; exit 1 on violations."""
    from kg.gate.validation import validate_store

    s = _open(store, endpoint=endpoint)
    try:
        violations, n = validate_store(s)
    finally:
        s.close()
    if as_json:
        print_json({"conforms": not violations, "triples": n, "violations": [str(v) for v in violations]})
        if violations:
            raise typer.Exit(1)
        return
    if violations:
        for v in violations:
            err.print(f"- {v}", highlight=False)
        fail(f"{len(violations)} violation(s) in {n} triples")
    out.print(f"conforms: {n} triples, 0 violations")


def first_in_force(index) -> dt.date | None:
    """The day the first legal text whose articles are held entered into force."""
    starts = [t.start or t.by for t in index.timeline.texts.values() if t.held and (t.start or t.by)]
    return min(starts) if starts else None


def superseded_line(sup: dict, t) -> str:
    """The warning of an answer from a text replaced on the date asked (as on the web card), through the
    messages of the catalogue: the text that replaced it, then those that followed, each held or not."""

    def one(x: dict) -> str:
        when = t("card.superseded", date=x["in_force_from"]) if x["in_force_from"] else t(
            "card.amended", date=x["in_force_by"]
        )
        held = t("card.partial") if x.get("partial") else ("" if x["text_held"] else t("card.not_held"))
        cert = f"({t('cert.' + x['certainty'])})" if x.get("certainty") else ""
        return " ".join(p for p in (when, x["title"], held, cert) if p)

    later = [f"{t('card.then')} {one(x)}" for x in sup.get("then", [])]
    last = "card.last_complete" if any(x.get("partial") for x in sup.get("then", [])) else "card.last_text"
    return ", ".join([one(sup), *later]) + f" — {t(last)}"


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in French or English")],
    at: DateOpt = None,
    limit: Annotated[int, typer.Option(help="Number of answers")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer")] = False,
    store: StoreOpt = None,
) -> None:
    """Which directorate handles this, under which article, for whom?"""
    date = parse_date(at)
    s = _open(store)
    try:
        index = competence.build_index(s)
        lang = competence.language_of(index, question)
        # the command line reads the store's files: every instrument is cleared, as in `dci-kg agreements`
        found = competence.instruments_lookup(s, index, cleared=True)
        answer = competence.resolve(index, question, date, limit, instruments=found)
        roles = {str(r["code"]): str(r["label"]) for r in s.select(queries.load("role-labels").text)
                 if r["label"].language == lang}  # fmt: skip
    finally:
        s.close()
    if as_json:
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
        return
    t = translator(lang)  # one language, the question's (as the web card)
    if (first := first_in_force(index)) is not None and date < first:
        out.print(t("cli.no_text", date=date.isoformat(), first=first.isoformat()), highlight=False)
        if answer["answers"]:
            out.print(t("cli.non_legal"))
    elif not answer["answers"]:
        out.print(t("cli.none"))
    if not answer["answers"]:
        print_case_file(out, {"abroad": answer["abroad"]}, t, lang, roles)
        return
    for a in answer["answers"]:
        m = a["mandate"]
        where = citations.provision(m["article"], m["letter"])
        out.print(
            f"[bold]{a['rank']}. {a['holder']['acronym'] or a['holder']['label']}[/] — "
            f"{roles.get(a['role'], a['role'])} — "
            f"{where if m['article'] else ''} {m['legal_text']['title']}",
            highlight=False,
        )
        if a["beneficiaries"]:
            names = ", ".join(b["acronym"] or b["label"] for b in a["beneficiaries"])
            out.print(
                f"   {t('card.beneficiaries')} : {names}" if lang == "fr" else f"   {t('card.beneficiaries')}: {names}"
            )
        if sup := m["legal_text"].get("superseded_by"):
            out.print(f"   [yellow]{superseded_line(sup, t)}[/]", highlight=False)
        out.print(f"   {a['explanation']}", highlight=False)
        out.print(f"   [dim]{m['text']}[/]", highlight=False)
        print_case_file(out, a, t, lang, roles, [c["code"] for c in answer["countries"]])


app.command()(query)


@app.command()
def reason(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """Check consistency with HermiT and refresh the materialised inferences."""
    from kg.reasoning import reason as run

    s = _open(store, write=True)
    try:
        report = run(s)
    finally:
        s.close()
    if as_json:
        print_json({"consistent": report.consistent, "message": report.message if not report.consistent else None,
                    "triples": report.triples, "classes": report.classes, "individuals": report.individuals,
                    "unsatisfiable": [str(c) for c in report.unsatisfiable],
                    "inferred_triples": report.inferred_types})  # fmt: skip
        if not report.consistent:
            raise typer.Exit(1)
        return
    if not report.consistent:
        fail(report.message)
    out.print(
        f"HermiT: consistent ({report.triples} triples, {report.classes} classes, "
        f"{report.individuals} individuals); {len(report.unsatisfiable)} unsatisfiable classes; "
        f"{report.inferred_types} inferred triples materialised"
    )


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="nquads | trig")] = "nquads", store: StoreOpt = None
) -> None:
    """Write every graph of the store to standard output."""
    import pyoxigraph as ox

    formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
    if fmt not in formats:
        fail(f"--format must be nquads or trig, got {fmt!r}", 2)
    s = _open(store)
    try:
        sys.stdout.buffer.write(s.dump(formats[fmt]))
    finally:
        s.close()


from cli.agreements import app as agreements_app  # noqa: E402
from cli.serving import serve  # noqa: E402
from cli.tokens import app as token_app  # noqa: E402

app.command()(serve)
app.add_typer(token_app, name="token")

app.add_typer(agreements_app, name="agreements")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
