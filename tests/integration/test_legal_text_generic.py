"""The legal-text parser on texts it was not written against: a third DCI version written for the tests
(no NOR, the DCIS and DSR names, '-' and '–' dashes, a section, a partial article) and the secrétariat
général's organisation text of 12 August 2013 (units created by "X comprend :", with their mandates)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.services.bundle import legal_text_paths, vocabulary_graph
from loaders.legal_text import load_file
from loaders.vocabulary import Vocabulary
from tests.legal_graphs import named, org
from vocab.namespaces import DCI, ID, ORG
from vocab.paths import ROOT

FIXTURE = ROOT / "tests/data/legal-texts/test-fixture-arrete-dcis-2022.md"
SG_TEXT = Path("/work/shared/sources/legal-texts/arrete-2013-08-12-INTA1319029A.md")
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_graph(vocabulary_graph())


@pytest.fixture(scope="module")
def fixture(vocab: Vocabulary) -> Graph:
    return load_file(FIXTURE, vocab)[1]


@pytest.fixture(scope="module")
def sg(vocab: Vocabulary) -> Graph:
    return load_file(SG_TEXT, vocab)[1]


@pytest.fixture(scope="module")
def bundled(vocab: Vocabulary) -> dict[str, Graph]:
    return {doc.key: g for doc, g in (load_file(p, vocab) for p in legal_text_paths())}


def test_a_text_without_nor_is_keyed_by_kind_and_date(fixture: Graph) -> None:
    text = ID["text/arrete/2022/3/3"]
    assert (text, RDF.type, DCI.LegalText) in fixture
    assert fixture.value(text, DCI.nor) is None
    assert str(fixture.value(text, DCI.key)) == "arrete/2022/3/3"


def test_new_names_dashes_and_sections_are_read(fixture: Graph) -> None:
    chapeau = ID["text/arrete/2022/3/3/art/1/para/1"]
    assert fixture.value(chapeau, DCI.holder) == org("DCI")  # "direction de la coopération internationale de sécurité"
    # "délégation à la sécurité routière" is the DSCR's later name
    assert set(fixture.objects(chapeau, DCI.beneficiary)) == {org("SG"), org("DSCR")}
    assert str(fixture.value(chapeau, DCI.section)) == "I"
    c = ID["text/arrete/2022/3/3/art/1/item/c"]  # a partial article: items a) and b) are not reproduced
    assert set(fixture.objects(c, DCI.beneficiary)) == {org("DSCR")}


def test_a_beneficiary_cue_makes_the_list_closed_to_others_and_notamment_open(
    fixture: Graph, bundled: dict[str, Graph]
) -> None:
    """Class: the organisation whose cooperation it is ("du ministère de l'intérieur, au profit notamment :")
    is not a beneficiary, and "notamment" marks the beneficiaries as examples."""
    cases = [(fixture, "text/arrete/2022/3/3/art/1/para/1"),
             (bundled["INTA1319065A"], "text/INTA1319065A/art/1/para/2")]
    for g, iri in cases:
        m = ID[iri]
        assert org("MININT") not in set(g.objects(m, DCI.beneficiary))
        assert g.value(m, DCI.nonExhaustive) is not None
    para2 = ID["text/INTA1319065A/art/1/para/2"]
    assert set(bundled["INTA1319065A"].objects(para2, DCI.beneficiary)) == {
        org(k) for k in ("SG", "DGSCGC", "DGEF", "DGCL", "DSCR")
    }


def test_a_beneficiary_is_never_the_body_the_holder_is_told_about_nor_the_staffs_body(
    fixture: Graph, bundled: dict[str, Graph]
) -> None:
    cases = [
        (fixture, "text/arrete/2022/3/3/art/1/item/d"),
        (bundled["INTA1319065A"], "text/INTA1319065A/art/1/item/n"),
        (bundled["IOCC1018202A"], "text/IOCC1018202A/art/1/item/i"),
        (bundled["INTA1319065A"], "text/INTA1319065A/art/1/item/i"),  # "personnels … relevant de l'autorité"
        (bundled["IOCC1018202A"], "text/IOCC1018202A/art/1/item/d"),  # "fonctionnaires et militaires de la police …"
    ]
    for g, iri in cases:
        assert (ID[iri], RDF.type, DCI.Mandate) in g
        assert set(g.objects(ID[iri], DCI.beneficiary)) == set(), iri
        assert set(g.objects(ID[iri], DCI.mentions)), iri  # still named


def test_influence_is_developed_not_researched(bundled: dict[str, Graph]) -> None:
    j = ID["text/INTA1319065A/art/1/item/j"]
    roles = set(bundled["INTA1319065A"].objects(j, DCI.role))
    assert ID["role/developpe"] in roles and ID["role/recherche"] not in roles


def test_decree_items_name_their_beneficiaries(bundled: dict[str, Graph]) -> None:
    two = ID["text/INTA1319026D/art/23/item/2"]
    assert set(bundled["INTA1319026D"].objects(two, DCI.beneficiary)) == {org("DGSCGC"), org("DSCR")}


def test_composition_creates_dated_sourced_units(sg: Graph) -> None:
    text = ID["text/INTA1319029A"]
    dlpaj = named(sg, "direction des libertés publiques et des affaires juridiques")
    spa = named(sg, "sous-direction des polices administratives")
    bureau = named(sg, "bureau des établissements de jeux")
    for unit, parent in ((dlpaj, org("SG")), (spa, dlpaj), (bureau, spa)):
        assert (unit, RDF.type, ORG.OrganizationalUnit) in sg
        assert sg.value(unit, DCT_SOURCE) == text
        link = next(lk for lk in sg.subjects(DCI.unit, unit))
        assert sg.value(link, DCI.unitOf) == parent
        assert str(sg.value(link, DCI.validFrom)) == "2013-10-02"
    # numbered items of a composition are units, and their dashes units of theirs (art. 19)
    sd = named(sg, "sous-direction de la synthèse et du pilotage budgétaires")
    b = named(sg, "bureau de la synthèse budgétaire")
    assert sg.value(next(sg.subjects(DCI.unit, b)), DCI.unitOf) == sd


def test_units_get_the_mandates_their_articles_give(sg: Graph) -> None:
    spa = named(sg, "sous-direction des polices administratives")
    items = {sg.value(m, URIRef("http://data.europa.eu/eli/ontology#number")): m for m in sg.subjects(DCI.holder, spa)}
    assert {"a", "b", "c"} <= {str(k) for k in items}
    sdag = named(sg, "sous-direction de l'administration générale et de l'achat")
    dash1 = ID["text/INTA1319029A/art/23/para/2/dash/1"]  # "― elle assure en liaison avec la DRH, …"
    assert sg.value(dash1, DCI.holder) == sdag
    assert set(sg.objects(dash1, DCI.partner)) == {named(sg, "direction des ressources humaines")}


def run(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DCIKG_STORE": str(store), "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_cli_loads_both_and_answers_from_the_new_version(tmp_path: Path) -> None:
    run("init", store=tmp_path)
    run("load", str(SG_TEXT), store=tmp_path)
    run("load", str(FIXTURE), store=tmp_path)
    q = "Qui coordonne la coopération technique en matière de sécurité routière ?"
    def texts(at: str) -> list[str]:
        answers = json.loads(run("ask", q, "--at", at, "--json", store=tmp_path).stdout)["answers"]
        return [a["mandate"]["legal_text"]["iri"] for a in answers]

    new, old = str(ID["text/arrete/2022/3/3"]), str(ID["text/INTA1319065A"])
    assert new in texts("2022-06-01")[:2] and old not in texts("2022-06-01")  # the version it replaces has ended
    assert old in texts("2020-06-01")
    # the units' mandates are in the store but out of competence ranking
    law = "Qui prépare les législations relatives aux casinos et cercles de jeux ?"
    answers = json.loads(run("ask", law, "--at", "2014-01-01", "--json", store=tmp_path).stdout)["answers"]
    assert all("/unit/" not in a["mandate"]["holder"]["iri"] for a in answers if "holder" in a["mandate"])
