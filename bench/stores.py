"""The stores of one size, built on disk (bulk load, and the real register import), and the texts of the
queries the harness sends."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import time
import urllib.parse
from pathlib import Path

from bench.config import LABELLED, NEGOTIATOR


# -- building the stores ----------------------------------------------------------------------------------
def build_stores(
    n: int, work: Path, template: list, topics: list[str], lc, with_import: bool = True
) -> tuple[dict, list]:
    import pyoxigraph as ox

    from bench import synthetic
    from kg.services.build import load_files
    from kg.store import EmbeddedStore

    out: dict = {"instruments": n}
    t = time.perf_counter()
    items = synthetic.generate(n, lc, topics)
    csv = work / f"register-{n}.csv"
    synthetic.write_csv(items, csv)
    out["generate_s"] = round(time.perf_counter() - t, 2)

    a_path = work / f"store-{n}"
    shutil.rmtree(a_path, ignore_errors=True)
    a = EmbeddedStore(a_path)
    a.bulk_write(template)
    t = time.perf_counter()
    quads = synthetic.to_quads(a, items)
    a.bulk_add(quads)
    a.flush()
    out["bulk_load_s"] = round(time.perf_counter() - t, 2)
    out["triples"] = a.count()
    nq = work / f"data-{n}.nq"
    nq.write_bytes(a.dump(ox.RdfFormat.N_QUADS))
    del a, quads
    gc.collect()  # releases the RocksDB lock: the server opens A next
    if not with_import:
        return out, items

    b_path = work / f"import-{n}"
    shutil.rmtree(b_path, ignore_errors=True)
    b = EmbeddedStore(b_path)
    b.bulk_write(template)
    t = time.perf_counter()
    load_files(b, [csv])
    b.flush()
    out["register_import_s"] = round(time.perf_counter() - t, 2)
    out["import_triples"] = b.count()
    del b
    gc.collect()
    shutil.rmtree(b_path, ignore_errors=True)
    return out, items


def varied_competence(cache_size: int) -> list[str]:
    """/competence paths that miss the answer cache: the labelled questions, each on enough distinct days that
    there are more question-day pairs than the cache holds; asked in a fixed cycle, least recently used first
    out, every request is computed anew."""
    import yaml

    questions = [e["q"] for f in LABELLED for e in yaml.safe_load(f.read_text(encoding="utf-8"))]
    days = cache_size // len(questions) + 2
    start = dt.date(2014, 1, 1)
    return [f"/competence?q={urllib.parse.quote(q)}&at={start + dt.timedelta(days=d)}"
            for d in range(days) for q in questions]  # fmt: skip


def query_texts(items: list) -> dict[str, str]:
    """The negotiator queries with their parameters bound (VALUES), the same text for every server."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg import queries

    today = Literal("2025-06-01", datatype=XSD.date)
    with_history = max(items[: len(items) // 2 + 1], key=lambda it: len(it.events))
    parent = next((it.row["parent_id"] for it in items if it.row["parent_id"]), items[0].row["id"])
    country = items[0].row["partner_country"]
    bound = {
        "signed-not-in-force": {"cutoff": Literal("2015-06-01", datatype=XSD.date), "today": today},
        "term-ending": {"today": today, "months": Literal(6)},
        "covered-without-agreement": {"today": today},
        "arrangements-under": {"parentId": Literal(parent)},
        "instrument-history": {"id": Literal(with_history.row["id"])},
    }
    out = {}
    for name in NEGOTIATOR:
        q = queries.load(name)
        text = q.inline(**bound.get(name, {}))
        if name == "status-by-country":  # the whole register is one 100k-row answer: ask for one country
            text = queries.bind(text, {"country": Literal(country)})
        out[name] = text
    return out
