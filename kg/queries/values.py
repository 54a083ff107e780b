"""Parameter values written as text (a command line's `--param name=value`) read as RDF terms, for the
one binder (`NamedQuery.inline`): the value's form says its type."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from vocab.terms import is_iri

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadValue(ValueError):
    pass


def term(text: str) -> Identifier:
    """`<iri>` or `http(s)://…`: an IRI; `YYYY-MM-DD`: an xsd:date; `12`: an xsd:integer; `1.5`: an
    xsd:decimal; `true`/`false`: an xsd:boolean; `"…"`: that string; anything else: a plain string."""
    if (text.startswith("<") and text.endswith(">")) or re.match(r"^https?://\S+$", text):
        iri = text[1:-1] if text.startswith("<") else text
        if not is_iri(iri):
            raise BadValue(f"not a valid IRI: {iri!r}")
        return URIRef(iri)
    if _DATE.match(text):
        try:
            return Literal(dt.date.fromisoformat(text))
        except ValueError:
            raise BadValue(f"not a valid date: {text!r}") from None
    if _INTEGER.match(text):
        return Literal(int(text))
    if _DECIMAL.match(text):
        try:
            return Literal(Decimal(text), datatype=XSD.decimal)
        except InvalidOperation:
            raise BadValue(f"not a valid decimal: {text!r}") from None
    if text in ("true", "false"):
        return Literal(text == "true")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return Literal(text[1:-1])
    return Literal(text)


def defaults() -> dict[str, Identifier]:
    """What a parameter left out means, where the meaning is plain: ?today is today's date."""
    return {"today": Literal(dt.date.today())}
