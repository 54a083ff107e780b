"""Markdown tables of a `python -m bench` run, written between the bench markers of BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGETS = "Targets (issue 6, at 100k instruments)"
POINT = {"instrument-history", "arrangements-under"}  # point lookups (one instrument); the rest aggregate/scan


def _f(x, nd: int = 1) -> str:
    if x is None or x == "":
        return "–"
    if isinstance(x, str):
        return x
    return f"{x:,.{nd}f}"


def _ratio(a, b, nd: int = 2) -> str:
    try:
        return f"{a / b:.{nd}f}x"
    except (TypeError, ZeroDivisionError):
        return "–"


def _n(n: str) -> str:
    return f"{int(n):,}"


def render(res: dict) -> str:
    m = res["machine"]
    sizes = res["sizes"]
    keys = list(sizes)
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    out = [
        BEGIN,
        "",
        "## Performance at scale (`python -m bench`)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}; {versions}; "
        f"load generator {m['load_tool']} (a second process on 127.0.0.1, {res['concurrency']} connections, "
        f"{res['duration_s']:g} s per measurement). Date: {res['date']}. Command: `{res['command']}`.",
        "",
        "Stores **on disk** (RocksDB) for dci-kg and `oxigraph serve`; rdflib-endpoint holds the same N-Quads in "
        "memory (it has no disk store). dci-kg runs with `DCIKG_SHACL_ENGINE=turbo` and its default 2 SPARQL "
        "workers; /sparql is asked with an admin token so that every graph is read, as on the peers. Latencies "
        "are under the concurrent load: p50/p99 are the median and 99th percentile of all requests of one run; "
        "min–max are over repeated runs where there are several. The 2 cores are shared by the server and "
        "the load generator: absolute figures are pessimistic, ratios within one run are what to compare.",
        "",
        "### Build, import, validation, start, memory",
        "",
        "| instruments | triples | bulk load of the generated RDF, s | register import (rows, SHACL gate, commit, "
        "inference), s | whole-graph validation (pyshacl-turbo), s | cold start of `dci-kg serve` to /health 200, "
        "s median (min–max) | peak RSS dci-kg (process + SPARQL workers), MiB | oxigraph serve, MiB | "
        "rdflib-endpoint, MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in keys:
        r = sizes[n]
        cs = r.get("cold_start_s", {})
        rss = r.get("rss_mb", {})
        out.append(
            f"| {_n(n)} | {r.get('triples', 0):,} | {_f(r.get('bulk_load_s'), 2)} | "
            f"{_f(r.get('register_import_s'), 1)} | {_f(r.get('validate_turbo_s'), 2)} | "
            f"{_f(cs.get('median'), 2)} ({_f(cs.get('min'), 2)}–"
            f"{_f(cs.get('max'), 2)}) | {_f(rss.get('dci-kg'), 0)} | {_f(rss.get('oxigraph serve'), 0)} | "
            f"{_f(rss.get('rdflib-endpoint'), 0)} |"
        )
    out += [
        "",
        "### /competence against /health (same app, same run)",
        "",
        "*Repeated*: 4 questions asked over and over (after the first round they come from the answer cache, "
        "as a question asked again does). *Varied*: the 146 labelled questions on enough distinct days that there "
        "are more question-day pairs than the cache holds, asked in a cycle: every request is resolved anew. "
        "c=1: one connection, no queueing.",
        "",
        "| instruments | /health req/s | p50 ms | p99 ms | repeated: req/s | p50 ms | p99 ms | ÷ /health | varied: "
        "req/s | p50 ms | p99 ms | ÷ /health | /health again, req/s | c=1 repeated p50 ms | c=1 varied p50 ms "
        "| p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in keys:
        r = sizes[n]
        h, c, h2 = r.get("health", {}), r.get("competence", {}), r.get("health_after", {})
        v, c1, v1 = r.get("competence_varied", {}), r.get("competence_c1", {}), r.get("competence_varied_c1", {})
        out.append(
            f"| {_n(n)} | {_f(h.get('rps'), 0)} | {_f(h.get('p50_ms'), 2)} | {_f(h.get('p99_ms'), 2)} | "
            f"{_f(c.get('rps'), 0)} | {_f(c.get('p50_ms'), 2)} | {_f(c.get('p99_ms'), 2)} | "
            f"{_ratio(c.get('rps'), h.get('rps'))} | {_f(v.get('rps'), 0)} | {_f(v.get('p50_ms'), 2)} | "
            f"{_f(v.get('p99_ms'), 2)} | {_ratio(v.get('rps'), h.get('rps'))} | {_f(h2.get('rps'), 0)} | "
            f"{_f(c1.get('p50_ms'), 2)} | {_f(v1.get('p50_ms'), 2)} | {_f(v1.get('p99_ms'), 2)} |"
        )
    out += [
        "",
        "### Negotiator queries: dci-kg /sparql against `oxigraph serve`, Virtuoso and rdflib-endpoint",
        "",
        "Same query text on the four servers (parameters bound with VALUES; `status-by-country` narrowed to one "
        "country); rows = the answer's row count on each (they must agree). The peers answer over the union of "
        "their graphs (`oxigraph serve --union-default-graph`; Virtuoso's default dataset; rdflib's "
        "ConjunctiveGraph), dci-kg over the admin's graphs. Point lookups: `instrument-history`, "
        "`arrangements-under`; the rest aggregate or scan the register. A figure marked * comes from 3 sequential "
        "requests on one connection (the query took longer than a quarter of the load duration on its own: "
        "nothing would finish under load), so its req/s is 1 / latency.",
        "",
        "| instruments | query | rows (dci-kg / oxigraph / Virtuoso / rdflib) | dci-kg req/s | p50 ms | p99 ms "
        "| oxigraph req/s | p50 ms | Virtuoso req/s | p50 ms | rdflib-endpoint req/s | p50 ms "
        "| dci-kg p50 ÷ oxigraph p50 | dci-kg p50 ÷ Virtuoso p50 | dci-kg ÷ rdflib throughput |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in keys:
        for q, peers in sizes[n].get("sparql", {}).items():
            d, o, v, rl = (peers.get(k, {}) for k in ("dci-kg", "oxigraph serve", "virtuoso", "rdflib-endpoint"))
            rows = " / ".join(str(x.get("rows", x.get("error", "–"))) for x in (d, o, v, rl))
            lat_ratio, vt_ratio = _ratio(d.get("p50_ms"), o.get("p50_ms")), _ratio(d.get("p50_ms"), v.get("p50_ms"))
            rps_ratio = _ratio(d.get("rps"), rl.get("rps"), 1)
            d, o, v, rl = ({**x, "rps": f"{x['rps']:,.1f}*"} if x.get("tool") == "sequential" else x
                           for x in (d, o, v, rl))  # fmt: skip
            out.append(
                f"| {_n(n)} | `{q}` | {rows} | {_f(d.get('rps'), 1)} | {_f(d.get('p50_ms'), 2)} | "
                f"{_f(d.get('p99_ms'), 2)} | {_f(o.get('rps'), 1)} | {_f(o.get('p50_ms'), 2)} | "
                f"{_f(v.get('rps'), 1)} | {_f(v.get('p50_ms'), 2)} | "
                f"{_f(rl.get('rps'), 1)} | {_f(rl.get('p50_ms'), 2)} | {lat_ratio} | {vt_ratio} | {rps_ratio} |"
            )
    out += [
        "",
        "### Write gate per single change (one legal status change, `kg.gate.commit`), ms median (min–max)",
        "",
        "| instruments | pyshacl-turbo gate | pyshacl-turbo whole transition | pyshacl gate "
        "| pyshacl whole transition |",
        "|---:|---|---|---|---|",
    ]

    def g(x: dict | None) -> str:
        return f"{x['median_ms']} ({x['min_ms']}–{x['max_ms']}), n={x['n']}" if x else "–"

    for n in keys:
        t, p = sizes[n].get("gate_turbo", {}), sizes[n].get("gate_pyshacl", {})
        out.append(f"| {_n(n)} | {g(t.get('gate'))} | {g(t.get('transition'))} | {g(p.get('gate'))} | "
                   f"{g(p.get('transition'))} |")  # fmt: skip
    if len(keys) > 1:
        a, b = keys[0], keys[-1]
        grow = [
            ("triples", lambda r: r.get("triples")),
            ("bulk load, s", lambda r: r.get("bulk_load_s")),
            ("register import, s", lambda r: r.get("register_import_s")),
            ("whole-graph validation, s", lambda r: r.get("validate_turbo_s")),
            ("cold start, s", lambda r: r.get("cold_start_s", {}).get("median")),
            ("peak RSS dci-kg, MiB", lambda r: r.get("rss_mb", {}).get("dci-kg")),
            ("/competence p50, ms", lambda r: r.get("competence", {}).get("p50_ms")),
            ("/competence req/s", lambda r: r.get("competence", {}).get("rps")),
            ("gate (turbo) median, ms", lambda r: r.get("gate_turbo", {}).get("gate", {}).get("median_ms")),
        ]
        for q in sizes[a].get("sparql", {}):
            grow.append(
                (
                    f"/sparql `{q}` p50, ms",
                    lambda r, q=q: r.get("sparql", {}).get(q, {}).get("dci-kg", {}).get("p50_ms"),
                )
            )
        out += ["", f"### Growth from {_n(a)} to {_n(b)} instruments", "",
                "| figure | " + " | ".join(_n(n) for n in keys) + f" | {_n(b)} ÷ {_n(a)} |",
                "|---|" + "---:|" * (len(keys) + 1)]  # fmt: skip
        for label, fn in grow:
            vals = [fn(sizes[n]) for n in keys]
            out.append(f"| {label} | " + " | ".join(_f(v, 2) for v in vals) + f" | {_ratio(vals[-1], vals[0], 1)} |")
    if res.get("plot"):
        out += ["", f"![How the figures grow with the store]({res['plot']})"]
    out += targets(sizes, keys[-1])
    out += scale_sections(sizes)
    out += ["", END]
    return "\n".join(out)


def scale_sections(sizes: dict) -> list[str]:
    """The negotiators' views and the many-process runs of the same command, with issue 17's verdicts."""
    from bench import workers_bench
    from bench.tracker_bench import table as tracker_table

    out: list[str] = []
    if any(r.get("tracker") for r in sizes.values()):
        out += ["", "### Negotiators' views: the tracker and `/agreements` against `oxigraph serve` (same run)", "",
                tracker_table(sizes)]  # fmt: skip
    if any(r.get("workers") for r in sizes.values()):
        out += ["", "### Many API processes: `dci-kg serve --workers N` (same run)", "",
                "Ratios to `oxigraph serve` on the same queries and store; peak RSS is the whole process tree.", "",
                workers_bench.table(sizes)]  # fmt: skip
    rows = scale_targets(sizes)
    if rows:
        out += ["", "### Targets (issue 17): verdicts", "", "| target | measured | verdict |", "|---|---|---|"]
        out += [f"| {t} | {m} | {v} |" for t, m, v in rows]
    return out


def _div(a, b):
    return a / b if a and b else None


def scale_targets(sizes: dict) -> list[tuple[str, str, str]]:
    """Issue 17's targets: /sparql and /competence with 2 API processes at the largest size with workers runs; the
    tracker and `/agreements?status=…` at every size of 10,000 and more (the write, start and memory targets are
    issue 6's rows above)."""
    from bench.tracker_bench import OURS

    rows: list[tuple[str, str, str]] = []
    with_workers = [n for n in sizes if sizes[n].get("workers")]
    if with_workers:
        n = max(with_workers, key=int)
        w = sizes[n]["workers"]
        peer = w.get("oxigraph serve", {})
        point, agg = peer.get("instrument-history", {}), peer.get("status-by-country", {})
        for label, key in (("embedded store", "embedded"), ("over `oxigraph serve`", "endpoint")):
            m = w.get(key, {}).get("2")
            if not m:
                continue
            at = f"{_n(n)}, 2 API processes, {label}"
            r = _div(m["instrument-history"].get("p50_ms"), point.get("p50_ms"))
            rows.append((f"/sparql point lookup p50 within 1.5x of oxigraph serve ({at})", _f(r, 2) + "x",
                         _verdict(r, 1.5)))  # fmt: skip
            r = _div(m["instrument-history"].get("rps"), point.get("rps"))
            rows.append((f"/sparql point lookup throughput >= 0.8x of oxigraph serve ({at})", _f(r, 2) + "x",
                         _verdict(r, 0.8, True)))  # fmt: skip
            r = _div(m["status-by-country"].get("p50_ms"), agg.get("p50_ms"))
            rows.append((f"/sparql aggregate p50 within 1.2x of oxigraph serve ({at})", _f(r, 2) + "x",
                         _verdict(r, 1.2)))  # fmt: skip
            r = _div(m["competence_varied"].get("rps"), m["health"].get("rps"))
            rows.append((f"uncached /competence >= 0.5x of /health, 16 connections ({at})", _f(r, 2) + "x",
                         _verdict(r, 0.5, True)))  # fmt: skip
    for n in sorted((n for n in sizes if int(n) >= 10_000 and sizes[n].get("tracker")), key=int):
        t = sizes[n]["tracker"]
        for name, path in OURS.items():
            ours = t["ours"][name]["p50_ms"]
            peers = [t.get(k, {}).get(name, {}).get("p50_ms") for k in ("oxigraph serve", "oxigraph serve (union)")]
            peer_p50 = min(x for x in peers if x is not None)
            limit = 100 if name.startswith("tracker") else 20
            rows.append((f"`{path}` p50 <= {limit} ms ({_n(n)})", f"{_f(ours, 2)} ms", _verdict(ours, limit)))
            rows.append((f"`{path}` >= 10x faster than oxigraph serve in SPARQL ({_n(n)})",
                         _f(_div(peer_p50, ours), 0) + "x", _verdict(_div(peer_p50, ours), 10, True)))  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> None:
    """Write the tables of a saved run (bench/output/results.json) into a file again, without running anything."""
    import argparse
    import json

    p = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__)
    p.add_argument("results", type=Path, help="a results.json written by `python -m bench`")
    p.add_argument("--output", type=Path, default=Path(__file__).resolve().parent.parent / "BENCHMARKS.md")
    args = p.parse_args(argv)
    rewrite(args.output, json.loads(args.results.read_text(encoding="utf-8")))
    print(f"tables rewritten in {args.output}")


def _verdict(value, limit, higher_is_better: bool = False) -> str:
    if value is None or value == "":
        return "not measured"
    ok = value >= limit if higher_is_better else value <= limit
    return "met" if ok else "**missed**"


def _versus_rdflib(sizes: dict, n: str, q: str) -> tuple[str, str, str]:
    """dci-kg ÷ rdflib-endpoint throughput on `q`, at the largest size where rdflib-endpoint ran (it holds the
    data in memory and is left out of the largest runs: --rdflib-max)."""
    label = f"/sparql `{q}` throughput >= 10x rdflib-endpoint"
    for m in sorted(sizes, key=int, reverse=True):
        peers = sizes[m].get("sparql", {}).get(q, {})
        d, rl = peers.get("dci-kg", {}), peers.get("rdflib-endpoint")
        if rl:
            mult = d["rps"] / rl["rps"] if d.get("rps") and rl.get("rps") else None
            where = "" if m == n else f" (at {_n(m)}: rdflib-endpoint not run at {_n(n)})"
            nothing = "met: rdflib-endpoint finished no request in the load window" if d.get("rps") else "–"
            verdict = _verdict(mult, 10, True) if rl.get("rps") else nothing
            return label, _ratio(d.get("rps"), rl.get("rps"), 1) + where, verdict
    return label, "–", "rdflib-endpoint not run"


def targets(sizes: dict, n: str) -> list[str]:
    """The issue's targets against the largest size of the run, each with its verdict."""
    r = sizes[n]
    h, c, v = r.get("health", {}), r.get("competence", {}), r.get("competence_varied", {})
    rows: list[tuple[str, str, str]] = []
    for label, x in (("repeated", c), ("varied", v)):
        rows.append((f"/competence p50 <= 5 ms ({label}, 16 connections)", f"{_f(x.get('p50_ms'), 2)} ms",
                     _verdict(x.get("p50_ms"), 5)))  # fmt: skip
        rows.append((f"/competence p99 <= 20 ms ({label})", f"{_f(x.get('p99_ms'), 2)} ms",
                     _verdict(x.get("p99_ms"), 20)))  # fmt: skip
        share = x["rps"] / h["rps"] if x.get("rps") and h.get("rps") else None
        rows.append((f"/competence throughput >= 50 % of /health ({label})", _ratio(x.get("rps"), h.get("rps")),
                     _verdict(share, 0.5, True)))  # fmt: skip
    for q, peers in r.get("sparql", {}).items():
        d, o = peers.get("dci-kg", {}), peers.get("oxigraph serve", {})
        point = q in POINT
        limit = 2.0 if point else 1.5
        ratio = d["p50_ms"] / o["p50_ms"] if d.get("p50_ms") and o.get("p50_ms") else None
        kind = "point lookup" if point else "aggregate"
        verdict = _verdict(ratio, limit)
        if d.get("rows") != o.get("rows"):  # dci-kg stopped at its row cap: it did less work than the peer
            verdict = f"not comparable: {d.get('rows')} rows (the row cap) against {o.get('rows')}"
        rows.append((f"/sparql `{q}` p50 within {limit:g}x of oxigraph serve ({kind})",
                     _ratio(d.get("p50_ms"), o.get("p50_ms")), verdict))  # fmt: skip
        if not point:
            rows.append(_versus_rdflib(sizes, n, q))
    gate_ms = r.get("gate_turbo", {}).get("gate", {}).get("median_ms")
    rows += [
        ("write gate <= 50 ms per change (median)", f"{_f(gate_ms, 1)} ms", _verdict(gate_ms, 50)),
        ("bulk import of the register, SHACL-validated, <= 120 s", f"{_f(r.get('register_import_s'), 1)} s",
         _verdict(r.get("register_import_s"), 120)),
        ("whole-graph validation <= 60 s", f"{_f(r.get('validate_turbo_s'), 1)} s",
         _verdict(r.get("validate_turbo_s"), 60)),
        ("cold start <= 3 s (median)", f"{_f(r.get('cold_start_s', {}).get('median'), 2)} s",
         _verdict(r.get("cold_start_s", {}).get("median"), 3)),
        ("peak RSS <= 1.5 GB (server + SPARQL workers)", f"{_f(r.get('rss_mb', {}).get('dci-kg'), 0)} MiB",
         _verdict(r.get("rss_mb", {}).get("dci-kg"), 1536)),
    ]  # fmt: skip
    out = ["", f"### {TARGETS}: verdicts at {_n(n)} instruments", "", "| target | measured | verdict |",
           "|---|---|---|"]  # fmt: skip
    out += [f"| {t} | {m} | {v} |" for t, m, v in rows]
    return out


def rewrite(path: Path, res: dict) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = render(res)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
