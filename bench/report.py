"""Markdown tables of a `python -m bench` run, written between the bench markers of BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGETS = "Targets (issue 6, at 100k instruments)"


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
        "| instruments | /health req/s | p50 ms | p99 ms | /competence req/s | p50 ms | p99 ms | /competence ÷ /health "
        "throughput | /health again after, req/s | /competence on 1 connection: p50 ms | p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in keys:
        h, c, h2 = sizes[n].get("health", {}), sizes[n].get("competence", {}), sizes[n].get("health_after", {})
        c1 = sizes[n].get("competence_c1", {})
        out.append(
            f"| {_n(n)} | {_f(h.get('rps'), 0)} | {_f(h.get('p50_ms'), 2)} | {_f(h.get('p99_ms'), 2)} | "
            f"{_f(c.get('rps'), 0)} | {_f(c.get('p50_ms'), 2)} | {_f(c.get('p99_ms'), 2)} | "
            f"{_ratio(c.get('rps'), h.get('rps'))} | {_f(h2.get('rps'), 0)} | {_f(c1.get('p50_ms'), 2)} | "
            f"{_f(c1.get('p99_ms'), 2)} |"
        )
    out += [
        "",
        "### Negotiator queries: dci-kg /sparql against `oxigraph serve` and rdflib-endpoint",
        "",
        "Same query text on the three servers (parameters bound with VALUES; `status-by-country` narrowed to one "
        "country); rows = the answer's row count on each (they must agree). Point lookups: `instrument-history`, "
        "`arrangements-under`; the rest aggregate or scan the register. A figure marked * comes from 3 sequential "
        "requests on one connection (the query took longer than a quarter of the load duration on its own: "
        "nothing would finish under load), so its req/s is 1 / latency.",
        "",
        "| instruments | query | rows (dci-kg / oxigraph / rdflib) | dci-kg req/s | p50 ms | p99 ms | oxigraph req/s "
        "| p50 ms | rdflib-endpoint req/s | p50 ms | dci-kg p50 ÷ oxigraph p50 | dci-kg ÷ rdflib throughput |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in keys:
        for q, peers in sizes[n].get("sparql", {}).items():
            d, o, rl = peers.get("dci-kg", {}), peers.get("oxigraph serve", {}), peers.get("rdflib-endpoint", {})
            rows = " / ".join(str(x.get("rows", x.get("error", "–"))) for x in (d, o, rl))
            lat_ratio = _ratio(d.get("p50_ms"), o.get("p50_ms"))
            rps_ratio = _ratio(d.get("rps"), rl.get("rps"), 1)
            d, o, rl = ({**x, "rps": f"{x['rps']:,.1f}*"} if x.get("tool") == "sequential" else x for x in (d, o, rl))
            out.append(
                f"| {_n(n)} | `{q}` | {rows} | {_f(d.get('rps'), 1)} | {_f(d.get('p50_ms'), 2)} | "
                f"{_f(d.get('p99_ms'), 2)} | {_f(o.get('rps'), 1)} | {_f(o.get('p50_ms'), 2)} | "
                f"{_f(rl.get('rps'), 1)} | {_f(rl.get('p50_ms'), 2)} | {lat_ratio} | {rps_ratio} |"
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
    out += ["", END]
    return "\n".join(out)


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
