"""Building and changing the knowledge base: `init` and `load`, both through the write gate."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg import queries
from kg.services import commits, succession
from kg.services.bundle import bundled_quads, vocabulary_graph
from kg.store import Store
from loaders.activities import annotate_mandate_activities
from loaders.legal_text import load_file
from loaders.rdf_files import graph_quads, read_rdf
from loaders.register import is_register_csv, read_rows
from loaders.vocabulary import Vocabulary
from vocab.namespaces import (
    AGREEMENTS_PUBLIC_GRAPH,
    AGREEMENTS_RESTRICTED_GRAPH,
    HISTORY_GRAPH,
    HISTORY_RESTRICTED_GRAPH,
    INFERRED_GRAPHS,
    LEGAL_GRAPH_PREFIX,
    REFERENCE_GRAPH,
    legal_graph,
)
from vocab.paths import REGISTER_DIR
from vocab.terms import Quad

REGISTER_GRAPHS = (AGREEMENTS_PUBLIC_GRAPH, AGREEMENTS_RESTRICTED_GRAPH, HISTORY_GRAPH, HISTORY_RESTRICTED_GRAPH)


def init(store: Store) -> dict[str, int]:
    """(Re)build the bundled graphs: validated as a whole, then committed in one transaction."""
    graphs = bundled_quads()
    add = [q for quads in graphs.values() for q in quads]
    remove = [q for g in graphs for q in store.quads(g)]
    commits.commit(store, add, remove, whole=True, source="init")
    counts = {str(g).rsplit("/graph/", 1)[-1]: len(q) for g, q in graphs.items()}
    seed_register(store)
    # what the store holds, not what this run added: on a store built before, the register is kept as is
    counts["register"] = sum(store.count(g) for g in REGISTER_GRAPHS)
    counts["inferred"] = sum(store.count(g) for g in INFERRED_GRAPHS)
    return counts


def seed_register(store: Store, directory: Path = REGISTER_DIR) -> int:
    """Import the bundled register through the gate; instruments already in the store are left as they
    are (their history may have moved on since), so `init` never rewrites what users recorded."""
    from kg.services.agreements import current_states, plan_import

    known = set(current_states(store))
    rows = [r for path in sorted(directory.glob("*.csv")) for r in read_rows(path) if r["id"].strip() not in known]
    if not rows:
        return 0
    source = str(directory / "agreements.csv")
    plan = plan_import(store, rows, source=source)
    commits.commit(store, plan.add, plan.remove, expect=plan.expect, source=source)
    return len(plan.add)


def _store_vocabulary(store: Store) -> Vocabulary:
    g = vocabulary_graph()
    g += store.construct(queries.load("graph-triples").inline(g=[REFERENCE_GRAPH]))
    return Vocabulary.from_graph(g)


def load_files(store: Store, paths: list[Path]) -> dict[str, int]:
    """Load legal texts (.md) and RDF files, all or nothing: one gate call for the whole set."""
    vocab: Vocabulary | None = None
    add: list[Quad] = []
    replaced: set[URIRef] = set()
    counts: dict[str, int] = {}
    register_rows: list[dict[str, str]] = []
    expect: list = []
    for path in paths:
        if is_register_csv(path) or path.suffix.lower() == ".json":
            rows = read_rows(path)
            register_rows += rows
            counts[str(path)] = len(rows)
            continue
        if path.suffix.lower() in (".md", ".txt"):
            vocab = vocab or _store_vocabulary(store)
            doc, g = load_file(path, vocab)
            annotate_mandate_activities(g, vocab)
            target = legal_graph(doc.key)
            replaced.add(target)
            quads = graph_quads(g, target)
        else:
            quads = read_rdf(path, REFERENCE_GRAPH)
        add += quads
        counts[str(path)] = len(quads)
    remove = [q for g in replaced for q in store.quads(g)]
    gone = set(remove)
    add += succession.ends([q for q in succession.store_facts(store) if q not in gone] + add)
    if register_rows:
        from kg.services.agreements import plan_import

        plan = plan_import(store, register_rows, source=", ".join(map(str, paths)))
        add += plan.add
        remove += plan.remove
        expect = plan.expect
    # a replaced legal text changes what the rules derive far beyond its own nodes
    everything = any(str(g).startswith(LEGAL_GRAPH_PREFIX) for g in replaced)
    commits.commit(store, add, remove, expect=expect, everything=everything, source=", ".join(p.name for p in paths))
    return counts
