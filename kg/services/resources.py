"""Resource pages: what the store says about one project IRI, with a label for every IRI shown, and what of
it a reader is shown in one language: no maintainers' notes, no pointer to the repository's own files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg import queries
from kg.store import Store
from vocab.namespaces import PREFIXES

LANGS = ("fr", "en")
# notes for the maintainers (sources in the repository, certainty reasoning) and search aids (misspellings)
HIDDEN = {SKOS.editorialNote, SKOS.hiddenLabel}
# a source that names one of the repository's own files ("shared/sources/glossary.md", "seed document 003_….txt")
_REPOSITORY_FILE = re.compile(r"(^|[\s/])(shared|seeds|sources)/|seed document|\.(md|txt|csv|ttl|rq|py)\b", re.I)


@dataclass
class Description:
    iri: URIRef
    graph: Graph
    labels: dict[str, str]
    label_langs: dict[str, str | None]  # the language of each label (another than the page's when none is)


def describe(store: Store, iri: URIRef, graphs: Sequence[URIRef], lang: str = "fr") -> Description | None:
    q = queries.load("describe")
    g = store.construct(q.inline(resource=iri), graphs=graphs)
    if len(g) == 0:
        return None
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    iris = sorted({t for triple in g for t in triple if isinstance(t, URIRef)})
    found = labels(store, iris, graphs, lang)
    return Description(iri, g, {k: v[0] for k, v in found.items()}, {k: v[1] for k, v in found.items()})


def labels(
    store: Store, iris: list[URIRef], graphs: Sequence[URIRef], lang: str = "fr"
) -> dict[str, tuple[str, str | None]]:
    """A label and its language per IRI, in `lang` when there is one; IRIs without a label are left out."""
    found: dict[str, tuple[int, str, str | None]] = {}
    q = queries.load("labels")
    for start in range(0, len(iris), 500):
        query = q.inline(iri=list(iris[start : start + 500]))
        for row in store.select(query, graphs=graphs):
            label = row["label"]
            rank = 0 if isinstance(label, Literal) and label.language == lang else 1
            key = str(row["iri"])
            if key not in found or rank < found[key][0]:
                found[key] = (rank, str(label), label.language if isinstance(label, Literal) else None)
    return {k: (v, language) for k, (_r, v, language) in found.items()}


def is_repository_file(value: object) -> bool:
    """A literal naming one of the project's own files: a note for maintainers, not a public source."""
    return isinstance(value, Literal) and bool(_REPOSITORY_FILE.search(str(value)))


def shown(found: Description, lang: str) -> list[tuple[URIRef, object]]:
    """The (property, value) pairs of the resource a reader sees on a page in `lang`: no hidden property, no
    source naming a repository file, and of the texts of a property in French and English only those in
    `lang` (the other language's when it has none)."""
    pairs = [
        (p, o)
        for p, o in found.graph.predicate_objects(found.iri)
        if p not in HIDDEN and not (str(p).endswith("/source") and is_repository_file(o))
    ]
    in_lang = {p for p, o in pairs if isinstance(o, Literal) and o.language == lang}
    return [
        (p, o)
        for p, o in pairs
        if not (isinstance(o, Literal) and o.language in LANGS and o.language != lang and p in in_lang)
    ]
