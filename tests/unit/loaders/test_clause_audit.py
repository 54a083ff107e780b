"""Clause semantics read against the texts (issue 14, part 4; docs/data-audit.md): who a provision acts for.
Each test is a class of error the audit found in the parse of data/legal-texts/*.md."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg.services.bundle import legal_text_paths, vocabulary_graph
from loaders.legal_text import load_file
from loaders.vocabulary import Vocabulary
from vocab.namespaces import DCI, ID


@pytest.fixture(scope="module")
def texts() -> dict[str, Graph]:
    vocab = Vocabulary.from_graph(vocabulary_graph())
    return {doc.nor: g for doc, g in (load_file(p, vocab) for p in legal_text_paths())}


def org(key: str) -> URIRef:
    return ID[f"org/{key}"]


def mandates(texts: dict[str, Graph]):
    for g in texts.values():
        for m in set(g.subjects(DCI.holder, None)):
            yield g, m


def beneficiaries(texts: dict[str, Graph], key: str) -> set[URIRef]:
    nor = key.split("/")[0]
    return set(texts[nor].objects(ID[f"text/{key}"], DCI.beneficiary))


def test_a_beneficiary_is_never_the_body_the_provision_is_informed_about(texts) -> None:
    """2013 n) / 2010 i): the DCI is told about the gendarmerie's engagements; it does not act for it."""
    informed = ID["role/est-tenue-informee"]
    only_informed = [(g, m) for g, m in mandates(texts) if set(g.objects(m, DCI.role)) == {informed}]
    assert len(only_informed) >= 2
    for g, m in only_informed:
        assert not set(g.objects(m, DCI.beneficiary)), m
        assert org("DGGN") in set(g.objects(m, DCI.mentions)), m  # named, not served


def test_the_staff_proposed_for_missions_do_not_make_their_body_a_beneficiary(texts) -> None:
    """2013 i) 'personnels … relevant de l'autorité du ministre', 2010 d) 'fonctionnaires et militaires de la
    police et de la gendarmerie nationales': the staff sent on missions, not those the missions serve."""
    staff = [(g, m) for g, m in mandates(texts) if "participation des" in str(g.value(m, DCI.text) or "")]
    assert len(staff) >= 2
    for g, m in staff:
        assert not set(g.objects(m, DCI.beneficiary)), m


def test_a_list_introduced_by_notamment_is_recorded_as_open(texts) -> None:
    chapeau = ID["text/INTA1319065A/art/1/para/2"]
    g = texts["INTA1319065A"]
    assert set(g.objects(chapeau, DCI.beneficiary)) == {org(k) for k in ("SG", "DGSCGC", "DGEF", "DGCL", "DSCR")}
    assert str(g.value(chapeau, DCI.nonExhaustive)).lower() == "true"


@pytest.mark.parametrize("key", ["INTA1319065A/art/1/item/j", "IOCC1018202A/art/1/item/e"])
def test_influence_is_developed_not_researched(texts, key: str) -> None:
    roles = set(texts[key.split("/")[0]].objects(ID[f"text/{key}"], DCI.role))
    assert ID["role/developpe"] in roles and ID["role/recherche"] not in roles


def test_a_cooperation_in_a_named_field_is_run_for_that_fields_competent_body(texts) -> None:
    """Décret art. 23, 4° 'les coopérations techniques en matière d'immigration, d'asile et d'intégration': the
    DGEF's field (its topics' dci:competentBody), though the item names no body."""
    assert beneficiaries(texts, "INTA1319026D/art/23/item/4") == {org("DGEF")}
    assert beneficiaries(texts, "INTA1319026D/art/23/item/2") == {org("DGSCGC"), org("DSCR")}
    # where the text names the body, the field adds nobody
    assert beneficiaries(texts, "INTA1319026D/art/23/item/1") == {org("DGPN"), org("DGGN")}
    # 'en matière de détection précoce' is not a cooperation's field: l) serves no body
    assert beneficiaries(texts, "INTA1319065A/art/1/item/l") == set()


def test_the_author_of_what_is_spoken_of_is_not_a_beneficiary(texts) -> None:
    """2013 art. 5: the sub-directorate runs 'les différents réseaux … mis en place par la direction de la coopération
    internationale': the directorate set the networks up; it is named, not served."""
    key = ID["text/INTA1319065A/art/5/para/2"]
    g = texts["INTA1319065A"]
    assert "mis en place par la direction" in str(g.value(key, DCI.text))
    assert org("DCI") in set(g.objects(key, DCI.mentions))
    assert org("DCI") not in set(g.objects(key, DCI.beneficiary))
