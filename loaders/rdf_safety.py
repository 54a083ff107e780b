"""What an RDF parser must never do with an untrusted file: fetch anything (a remote JSON-LD context, an
`@import`, an external XML entity) or expand entities (a few hundred bytes of "billion laughs" hold the
write lock for minutes). Both are refused before rdflib sees the document."""

from __future__ import annotations

from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException


class UnsafeDocument(ValueError):
    """The document asks for something an import never does; the message says what."""


REMOTE_CONTEXT = "remote JSON-LD contexts are not fetched; inline the context"
XML_DECLARATIONS = "XML with a DOCTYPE or ENTITY declaration is refused (no DTD, no entities)"


def check_json_ld(doc: object) -> None:
    """Refuse any context that is not inline, anywhere in the document: a string or a list holding one as
    the value of `@context` (top level, in a node, or a scoped context in a term definition) and any
    `@import`. Iterative, so a deeply nested document cannot exhaust the stack here."""
    stack = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "@import" in value:
                raise UnsafeDocument(f"{REMOTE_CONTEXT} (@import is refused)")
            if "@context" in value and _references(value["@context"]):
                raise UnsafeDocument(REMOTE_CONTEXT)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _references(context: object) -> bool:
    """True if a `@context` value names a context by IRI (rdflib would fetch it) rather than inlining it."""
    stack = [context]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            return True
        if isinstance(value, list):
            stack.extend(value)
    return False


def check_xml(data: bytes) -> None:
    """Refuse a DOCTYPE (hence any entity, internal or external) before an XML parser expands it.

    defusedxml's expat reader stops at the declaration itself, so nothing is expanded nor fetched;
    a malformed document raises SAXParseException for the caller to report."""
    try:
        defusedxml.sax.parseString(data, ContentHandler(), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeDocument(XML_DECLARATIONS) from exc

