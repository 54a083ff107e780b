"""Competence resolution: a question (FR or EN, free text) and a date -> ranked, cited mandates.

The linguistic knowledge (topics, synonyms, broader/narrower, which body a topic belongs to) is read
from the thesaurus in the store; this module only scores how well each mandate in force on the date
covers the topics and organisations the question mentions.
"""

from __future__ import annotations

from kg.services.competence.casefile import countries_named
from kg.services.competence.index import Exclusion, Index, Mandate, Org, build_index
from kg.services.competence.instruments import lookup as instruments_lookup
from kg.services.competence.scoring import language_of, resolve

__all__ = [
    "Exclusion",
    "Index",
    "Mandate",
    "Org",
    "build_index",
    "countries_named",
    "instruments_lookup",
    "language_of",
    "resolve",
]
