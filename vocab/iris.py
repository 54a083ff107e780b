"""IRI minting: the one place that turns keys into project IRIs (docs/iri-scheme.md)."""

from urllib.parse import quote

from rdflib import URIRef

from vocab.namespaces import ID


def _seg(value: str) -> str:
    return quote(str(value).strip(), safe="-_.~°")


def org(key: str) -> URIRef:
    return ID[f"org/{_seg(key)}"]


def post(key: str) -> URIRef:
    return ID[f"post/{_seg(key)}"]


def country(alpha2: str) -> URIRef:
    return ID[f"country/{_seg(alpha2.upper())}"]


def legal_text(key: str) -> URIRef:
    """A NOR (`text/INTA1319065A`) or, for a text without one, its kind and date (`text/arrete/2022/3/3`)."""
    return ID["text/" + "/".join(_seg(part) for part in str(key).split("/"))]


def article(nor: str, number: str) -> URIRef:
    return URIRef(f"{legal_text(nor)}/art/{_seg(number)}")


def paragraph(nor: str, number: str, index: int) -> URIRef:
    return URIRef(f"{article(nor, number)}/para/{index}")


def item(nor: str, number: str, label: str) -> URIRef:
    return URIRef(f"{article(nor, number)}/item/{_seg(label)}")


def dash(parent: URIRef, index: int) -> URIRef:
    return URIRef(f"{parent}/dash/{index}")


def exclusion(mandate: URIRef) -> URIRef:
    return URIRef(f"{mandate}/exclusion")


def mandate(key: str) -> URIRef:
    return ID[f"mandate/{_seg(key)}"]


def topic(slug: str) -> URIRef:
    return ID[f"topic/{_seg(slug)}"]


def role(code: str) -> URIRef:
    return ID[f"role/{_seg(code)}"]


def instrument(key: str) -> URIRef:
    return ID[f"instrument/{_seg(key)}"]


def status_change(key: str, sequence: int) -> URIRef:
    return URIRef(f"{instrument(key)}/event/{sequence}")


def agent(name: str) -> URIRef:
    slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "unknown"
    return ID[f"agent/{_seg(slug)}"]


def status(code: str) -> URIRef:
    return ID[f"status/{_seg(code)}"]
