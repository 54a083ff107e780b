"""Deterministic synthetic register: instruments across ~200 countries, a realistic status mix, 1–5
status changes each along the allowed transitions, arrangements under agreements, thesaurus topics, a
share of restricted instruments. Output: register rows (CSV) and RDF quads (with the full history).

    python -m bench.synthetic 1000 --out /tmp/register-1k.csv      # register CSV
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pycountry
from rdflib import Literal
from rdflib.namespace import XSD

from kg.services.agreements import lifecycle, register_context
from kg.services.agreements.lifecycle import Lifecycle, StatusChange
from kg.store import Store
from loaders.register import COLUMNS, check_rows, instrument_graph
from vocab.namespaces import DCI, agreements_graph, history_graph
from vocab.terms import Quad

KINDS = [("agreement", 60), ("technical_arrangement", 30), ("protocol", 5), ("exchange_of_letters", 3),
         ("administrative_arrangement", 2)]  # fmt: skip
STARTS = [("planned", 5), ("negotiating", 35), ("signed", 60)]
BENEFICIARIES = ["DGPN", "DGGN", "DGSCGC", "DGEF", "DGCL", "SG"]
RESTRICTED_SHARE = 0.15


@dataclass
class Synthetic:
    row: dict[str, str]
    events: list[tuple[str | None, str, dt.date]]
    term_years: int | None = None


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _walk(rng: random.Random, lc: Lifecycle, start: dt.date) -> list[tuple[str | None, str, dt.date]]:
    """1–5 status changes along the allowed transitions, mostly forward, with gaps of one month to 4 years."""
    status, day = _pick(rng, STARTS), start
    events: list[tuple[str | None, str, dt.date]] = [(None, status, day)]
    for _ in range(rng.randint(0, 4)):
        nxt = sorted(lc.allowed_next.get(status, ()), key=lambda c: lc.stage.get(c, 99))
        if not nxt:
            break
        forward = [c for c in nxt if c not in ("abandoned", "negotiating", "suspended")] or nxt
        choice = forward[0] if rng.random() < 0.7 else rng.choice(nxt)
        day = day + dt.timedelta(days=rng.randint(30, 1460))
        events.append((status, choice, day))
        status = choice
    return events


def generate(n: int, lc: Lifecycle, topics: list[str], seed: int = 20240901) -> list[Synthetic]:
    rng = random.Random(seed)
    countries = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != "FR")[:200]
    agreements_by_country: dict[str, list[str]] = {}
    out: list[Synthetic] = []
    for i in range(n):
        cc = rng.choice(countries)
        kind = _pick(rng, KINDS)
        parent = ""
        if kind == "technical_arrangement":
            if agreements_by_country.get(cc):
                parent = rng.choice(agreements_by_country[cc])
            else:
                kind = "agreement"
        events = _walk(rng, lc, dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 12000)))
        path = {to: day for _f, to, day in events}
        rid = f"SYN-{cc}-{i:06d}"
        row = {c: "" for c in COLUMNS}
        row.update(
            id=rid,
            kind=kind,
            title=f"Instrument synthétique n° {i} ({kind}, {cc})",
            partner_country=cc,
            status=events[-1][1],
            signed_on=path["signed"].isoformat() if "signed" in path else "",
            approved_on=path["approved"].isoformat() if "approved" in path else "",
            in_force_on=path["in_force"].isoformat() if "in_force" in path else "",
            ended_on=path["terminated"].isoformat() if "terminated" in path else "",
            parent_id=parent,
            topics=";".join(rng.sample(topics, rng.randint(1, 3))),
            beneficiaries=";".join(rng.sample(BENEFICIARIES, rng.randint(1, 2))),
            negotiator="DCI",
            confidentiality="restricted" if rng.random() < RESTRICTED_SHARE else "public",
            source=f"https://example.org/synthetic/{rid}",
            note="synthetic",
        )
        if kind == "agreement" and row["confidentiality"] == "public":
            agreements_by_country.setdefault(cc, []).append(rid)
        out.append(Synthetic(row, events, 5 if kind == "agreement" and rng.random() < 0.3 else None))
    return out


def topic_codes(store: Store) -> list[str]:
    return sorted(register_context(store).topics)


def to_quads(store: Store, items: list[Synthetic]) -> list[Quad]:
    """RDF of the synthetic instruments and their whole history (rows checked like a real import)."""
    ctx = register_context(store)
    lc = lifecycle.load(store)
    ctx.existing = {}
    instruments = check_rows("synthetic", [it.row for it in items], ctx)
    quads: list[Quad] = []
    for inst, it in zip(instruments, items, strict=True):
        g, h = agreements_graph(inst.confidentiality), history_graph(inst.confidentiality)
        quads += [(s, p, o, g) for s, p, o in instrument_graph(inst, ctx)]
        quads.append((inst.iri, DCI.status, lc.statuses[it.events[-1][1]], g))
        if it.term_years:
            quads.append((inst.iri, DCI.termYears, Literal(it.term_years, datatype=XSD.integer), g))
            quads.append((inst.iri, DCI.tacitRenewal, Literal(True), g))
        for n, (frm, to, day) in enumerate(it.events, start=1):
            ev = StatusChange(inst.id, n, frm, to, day, "synthetic generator", None, None)
            quads += lifecycle.event_quads(ev, lc, h)
    return quads


def write_csv(items: list[Synthetic], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(it.row for it in items)


def main(argv: list[str]) -> None:
    from kg.services.build import init
    from kg.store import EmbeddedStore

    n = int(argv[0])
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else Path(f"register-synthetic-{n}.csv")
    store = EmbeddedStore(None)
    init(store)
    items = generate(n, lifecycle.load(store), topic_codes(store))
    write_csv(items, out)
    print(f"{n} instruments -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
