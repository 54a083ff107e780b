"""bench.competence_latency runs on an on-disk store, through the read model and through the store's query
(the two paths of the case file's instruments), and finds questions naming a country. No timing assertion."""

from __future__ import annotations

import gc

from bench import synthetic
from bench.competence_latency import main
from kg.services.agreements import lifecycle
from kg.store import EmbeddedStore


def test_both_paths_run_on_a_store_on_disk(tmp_path, reference_store) -> None:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    store.bulk_write([q for g in reference_store.all_graphs() for q in reference_store.graph_quads(g)])
    items = synthetic.generate(40, lifecycle.load(store), synthetic.topic_codes(store))
    store.bulk_add(synthetic.to_quads(store, items))
    store.flush()
    del store
    gc.collect()  # releases the RocksDB lock: the harness opens the directory read-only
    model, sparql = main(["--store", str(path)]), main(["--store", str(path), "--sparql"])
    for out in (model, sparql):
        assert out["questions"] > 50 and 0 < out["naming_a_country"] < out["questions"]
    assert model["path"] == "read model" and sparql["path"].startswith("store")
    assert "read_model_build_s" in model and "read_model_build_s" not in sparql
