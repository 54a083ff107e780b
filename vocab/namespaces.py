"""Namespaces and named graphs: the one place that knows the project's IRI scheme (docs/iri-scheme.md)."""

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/dci-kg/"
DCI = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, str] = {
    "dci": str(DCI),
    "id": str(ID),
    "org": str(ORG),
    "eli": str(ELI),
    "prov": str(PROV),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


GRAPH_PREFIX = f"{BASE}graph/"  # every named graph of the project: never one of a SPARQL server's own


def graph(name: str) -> URIRef:
    """The named graph `name` (e.g. "ontology", "legal/INTA1319065A")."""
    return URIRef(f"{GRAPH_PREFIX}{name}")


ONTOLOGY_GRAPH = graph("ontology")
REFERENCE_GRAPH = graph("reference")
COUNTRIES_GRAPH = graph("countries")
INFERRED_GRAPH = graph("inferred")
# the store's own bookkeeping (generation, pending derivations, write receipts): never data, never listed
META_GRAPH = graph("meta")
# inferences that need a restricted graph to be derived: readable only by cleared roles
INFERRED_RESTRICTED_GRAPH = graph("inferred-restricted")
INFERRED_GRAPHS = frozenset({INFERRED_GRAPH, INFERRED_RESTRICTED_GRAPH})
LEGAL_GRAPH_PREFIX = f"{BASE}graph/legal/"
AGREEMENTS_PUBLIC_GRAPH = graph("agreements-public")
AGREEMENTS_RESTRICTED_GRAPH = graph("agreements-restricted")
HISTORY_GRAPH = graph("history")
HISTORY_RESTRICTED_GRAPH = graph("history-restricted")


def agreements_graph(confidentiality: str) -> URIRef:
    """Where an instrument's own triples live: restricted instruments are kept apart from public ones."""
    return AGREEMENTS_RESTRICTED_GRAPH if confidentiality == "restricted" else AGREEMENTS_PUBLIC_GRAPH


def history_graph(confidentiality: str) -> URIRef:
    """Where an instrument's status changes live (a restricted instrument's history is restricted too)."""
    return HISTORY_RESTRICTED_GRAPH if confidentiality == "restricted" else HISTORY_GRAPH


def legal_graph(nor: str) -> URIRef:
    return graph(f"legal/{nor}")


# graphs only cleared roles (negotiator, admin) may read: restricted instruments, their history, and
# what is inferred from them
RESTRICTED_GRAPHS = frozenset({AGREEMENTS_RESTRICTED_GRAPH, HISTORY_RESTRICTED_GRAPH, INFERRED_RESTRICTED_GRAPH})
