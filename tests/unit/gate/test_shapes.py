"""A valid and an invalid example for each shape: the valid one passes, the invalid one is refused
with a message naming the problem."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from kg import gate
from kg.gate.shapes import class_hierarchy

PREFIXES = """
@prefix dci: <https://w3id.org/dci-kg/ontology#> . @prefix id: <https://w3id.org/dci-kg/id/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:country/LV a dci:Country ; dci:alpha2 "LV" ; skos:prefLabel "Lettonie"@fr , "Latvia"@en .
id:org/A a dci:Directorate ; skos:prefLabel "a"@fr , "a"@en .
id:org/B a dci:DirectorateGeneral ; skos:prefLabel "b"@fr , "b"@en .
id:role/x a skos:Concept . id:topic/t a skos:Concept . id:certainty/certain a skos:Concept .
id:text/T a dci:LegalText ; eli:title "t"@fr ; dci:nor "TEST0000001A" ; dct:source "s" ;
    eli:date_document "2010-01-01"^^xsd:date .
id:text/T/art/1 a dci:Article ; eli:is_part_of id:text/T ; eli:number "1" ; dci:text "x" .
"""

# (name, valid snippet, invalid snippet, expected words in the message)
CASES = [
    (
        "organisation labels",
        'id:org/C a dci:Division ; skos:prefLabel "c"@fr , "c"@en .',
        'id:org/C a dci:Division ; skos:prefLabel "c"@fr .',
        "English skos:prefLabel",
    ),
    (
        "organisation validity ordered",
        'id:org/C a dci:Division ; skos:prefLabel "c"@fr , "c"@en ; dci:validFrom "2010"^^xsd:gYear ; '
        'dci:validTo "2015-06-01"^^xsd:date .',
        'id:org/C a dci:Division ; skos:prefLabel "c"@fr , "c"@en ; dci:validFrom "2016"^^xsd:gYear ; '
        'dci:validTo "2015-06-01"^^xsd:date .',
        "not ordered",
    ),
    (
        "ssi needs a source",
        'id:org/S a dci:InternalSecurityService ; skos:prefLabel "s"@fr , "s"@en ; dct:source "p" ; '
        "dci:hostCountry id:country/LV .",
        'id:org/S a dci:InternalSecurityService ; skos:prefLabel "s"@fr , "s"@en ; dci:hostCountry id:country/LV .',
        "dct:source",
    ),
    (
        "unit link",
        'id:link/1 a dci:UnitLink ; dci:unit id:org/A ; dci:unitOf id:org/B ; dct:source "s" .',
        'id:link/1 a dci:UnitLink ; dci:unit id:org/A ; dci:unitOf id:topic/t ; dct:source "s" .',
        "parent organisation",
    ),
    (
        "coverage country",
        'id:org/S a dci:InternalSecurityService ; skos:prefLabel "s"@fr , "s"@en ; dct:source "p" . '
        "id:cov/1 a dci:CountryCoverage ; dci:coveringService id:org/S ; dci:coveredCountry id:country/LV ; "
        'dct:source "s" ; dci:certainty id:certainty/certain .',
        'id:org/S a dci:InternalSecurityService ; skos:prefLabel "s"@fr , "s"@en ; dct:source "p" . '
        "id:cov/1 a dci:CountryCoverage ; dci:coveringService id:org/S ; dci:coveredCountry id:org/A ; "
        'dct:source "s" .',
        "ISO 3166-1 country",
    ),
    (
        "observation source",
        'id:obs/1 a dci:NetworkObservation ; dci:observedOn "2013" ; dci:ssiCount 92 ; dct:source "s" .',
        'id:obs/1 a dci:NetworkObservation ; dci:observedOn "2013" ; dci:ssiCount 92 .',
        "dct:source",
    ),
    (
        "country code",
        'id:country/EE a dci:Country ; dci:alpha2 "EE" ; skos:prefLabel "Estonie"@fr , "Estonia"@en .',
        'id:country/EE a dci:Country ; dci:alpha2 "est" ; skos:prefLabel "Estonie"@fr , "Estonia"@en .',
        "alpha-2",
    ),
    (
        "legal text in-force interval",
        'id:text/T eli:first_date_entry_in_force "2010-02-01"^^xsd:date ; '
        'eli:date_no_longer_in_force "2013-01-01"^^xsd:date .',
        'id:text/T eli:first_date_entry_in_force "2010-02-01"^^xsd:date ; '
        'eli:date_no_longer_in_force "2009-01-01"^^xsd:date .',
        "in-force interval",
    ),
    (
        "legal text date type",
        "",
        'id:text/T eli:date_publication "x" ; eli:date_document "2011-01-01"^^xsd:date .',
        "exactly one document date",
    ),
    (
        "item letters unique",
        'id:text/T/art/1/item/a a dci:Item ; eli:is_part_of id:text/T/art/1 ; eli:number "a" ; dci:letter "a" ; '
        'dci:text "x" . id:text/T/art/1/item/b a dci:Item ; eli:is_part_of id:text/T/art/1 ; eli:number "b" ; '
        'dci:letter "b" ; dci:text "y" .',
        'id:text/T/art/1/item/a a dci:Item ; eli:is_part_of id:text/T/art/1 ; eli:number "a" ; dci:letter "a" ; '
        'dci:text "x" . id:text/T/art/1/item/b a dci:Item ; eli:is_part_of id:text/T/art/1 ; eli:number "b" ; '
        'dci:letter "a" ; dci:text "y" .',
        "used twice",
    ),
    (
        "mandate holder is an organisation",
        "id:m/1 a dci:Mandate ; dci:holder id:org/A ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" ; dci:beneficiary id:org/B .',
        "id:m/1 a dci:Mandate ; dci:holder id:topic/t ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" .',
        "exactly one holder",
    ),
    (
        "mandate beneficiary is an organisation",
        "id:m/1 a dci:Mandate ; dci:holder id:org/A ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" ; dci:beneficiary id:org/B .',
        "id:m/1 a dci:Mandate ; dci:holder id:org/A ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" ; dci:beneficiary id:country/LV .',
        "beneficiary must be an organisation",
    ),
    (
        "excluded topic is not a positive topic",
        "id:m/1 a dci:Mandate ; dci:holder id:org/A ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" ; dci:hasExclusion id:m/1/ex . '
        'id:m/1/ex a dci:Exclusion ; dci:reservedTo id:org/B ; dci:text "sauf" ; dci:excludedTopic id:topic/t .',
        "id:m/1 a dci:Mandate ; dci:holder id:org/A ; dci:role id:role/x ; dci:primaryRole id:role/x ; "
        'dci:legalBasis id:text/T ; dci:text "x" ; dci:topic id:topic/t ; dci:hasExclusion id:m/1/ex . '
        'id:m/1/ex a dci:Exclusion ; dci:reservedTo id:org/B ; dci:text "sauf" ; dci:excludedTopic id:topic/t .',
        "both covered and excluded",
    ),
    (
        "exclusion reserved to an organisation",
        'id:ex/1 a dci:Exclusion ; dci:reservedTo id:org/B ; dci:text "sauf" .',
        'id:ex/1 a dci:Exclusion ; dci:text "sauf" .',
        "reserved to",
    ),
]


def graph_of(snippet: str) -> Graph:
    # "id:org/A" is shorthand here for the full project IRI (a slash is not allowed in a Turtle local name)
    text = re.sub(r"\bid:([\w/.-]*\w)", r"<https://w3id.org/dci-kg/id/\1>", PREFIXES + snippet)
    g = Graph()
    g.parse(data=text, format="turtle")
    g += class_hierarchy()
    return g


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
@pytest.mark.parametrize(("name", "valid", "invalid", "words"), CASES, ids=[c[0] for c in CASES])
def test_valid_passes_invalid_is_refused(name: str, valid: str, invalid: str, words: str, engine: str) -> None:
    """pyshacl is the reference; the gate's default engine (pyshacl-turbo) must give the same verdicts."""
    gate.check(graph_of(valid), engine_name=engine)
    with pytest.raises(gate.WriteRejected) as exc:
        gate.check(graph_of(invalid), engine_name=engine)
    assert any(words in v.message for v in exc.value.violations), [v.message for v in exc.value.violations]
