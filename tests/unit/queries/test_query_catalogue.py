"""The catalogue of named queries (kg/queries/catalogue.ttl): every .rq file is either offered on the query page or
kept for the application, an offered one is described in both languages, its fields are exactly the parameters
the .rq declares, and a typed value is checked before it is bound."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.queries.catalogue import BadValue, catalogue
from kg.sparql.guard import check
from vocab.paths import QUERIES_DIR

CAT = catalogue()
TODAY = dt.date(2026, 12, 1)


def test_every_query_file_is_offered_or_kept_for_the_application():
    files = {p.stem for p in QUERIES_DIR.glob("*.rq")}
    offered = {e.name for e in CAT.offered}
    assert not offered & CAT.internal
    assert files == offered | CAT.internal, (files - offered - CAT.internal, (offered | CAT.internal) - files)


def test_the_negotiator_queries_are_offered():
    offered = {e.name for e in CAT.offered}
    assert {
        "signed-not-in-force",
        "term-ending",
        "pending-approval",
        "covered-without-agreement",
        "status-by-country",
        "counts-by-status-kind",
        "arrangements-under",
        "instrument-history",
    } <= offered


@pytest.mark.parametrize("entry", CAT.offered, ids=lambda e: e.name)
def test_an_offered_query_is_described_in_both_languages_and_fields_its_parameters(entry):
    for lang in ("fr", "en"):
        assert entry.labels.get(lang) and entry.descriptions.get(lang), (entry.name, lang)
        for p in entry.parameters:
            assert p.labels.get(lang), (entry.name, p.variable, lang)
    assert entry.labels["fr"] != entry.labels["en"]
    assert {p.variable for p in entry.parameters} == entry.query.params


@pytest.mark.parametrize("entry", CAT.offered, ids=lambda e: e.name)
def test_an_offered_query_bound_with_its_initial_values_is_one_the_endpoint_runs(entry):
    shown = entry.shown(entry.initial(TODAY))  # what the page puts in the editor: no developers' comment lines
    assert not [line for line in shown.splitlines() if line.lstrip().startswith("#")]
    for text in (entry.bind(entry.initial(TODAY)), shown):
        assert check(text, 20_000).form in ("SELECT", "CONSTRUCT")


def test_initial_values_count_from_today():
    entry = CAT.get("signed-not-in-force")
    assert entry.initial(TODAY) == {"cutoff": "2021-12-01", "today": "2026-12-01"}
    assert CAT.get("term-ending").initial(TODAY)["months"] == "6"


def test_typed_values_are_bound_as_terms():
    text = CAT.get("term-ending").bind({"today": "2023-01-15", "months": "6"})
    assert '"2023-01-15"^^<http://www.w3.org/2001/XMLSchema#date>' in text and "6" in text
    # an empty optional field leaves its variable unbound: only the country is bound
    unbound = CAT.get("agreements-list").bind({"country": "IT", "statusCode": ""})
    assert [line.strip() for line in unbound.splitlines() if "VALUES" in line] == ['VALUES (?country) { ("IT") }']


@pytest.mark.parametrize(
    ("name", "values", "variable"),
    [
        ("term-ending", {"today": "15/01/2023", "months": "6"}, "today"),
        ("term-ending", {"today": "2023-01-15", "months": "6 } DROP ALL"}, "months"),
        ("term-ending", {"today": "2023-01-15", "months": "99999"}, "months"),
        ("instrument-history", {"id": '" } } INSERT DATA { <a> <b> <c> } #'}, "id"),
        ("instrument-history", {"id": ""}, "id"),
        ("agreements-list", {"country": "italy"}, "country"),
        ("describe", {"resource": "not an iri"}, "resource"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(name, values, variable):
    with pytest.raises(BadValue) as err:
        CAT.get(name).bind(values)
    assert err.value.variable == variable and f"?{variable}" in str(err.value)
