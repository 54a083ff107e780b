"""The legal-text loader: structure, mandates, cues and exclusion read from the real texts, and errors
that name the line."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.services.bundle import legal_text_paths, vocabulary_graph
from loaders.legal_text import LegalTextError, load_file, read_document, to_graph
from loaders.vocabulary import Vocabulary
from vocab.namespaces import DCI, ELI, ID


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_graph(vocabulary_graph())


@pytest.fixture(scope="module")
def texts(vocab: Vocabulary) -> dict[str, Graph]:
    out = {}
    for path in legal_text_paths():
        doc, g = load_file(path, vocab)
        out[doc.nor] = g
    return out


def org(key: str) -> URIRef:
    return ID[f"org/{key}"]


def items(g: Graph, nor: str) -> dict[str, URIRef]:
    return {str(g.value(i, DCI.letter)): i for i in g.subjects(DCI.letter, None) if f"/text/{nor}/art/1/" in str(i)}


def test_both_versions_load_with_their_items(texts: dict[str, Graph]) -> None:
    assert sorted(items(texts["INTA1319065A"], "INTA1319065A")) == list("abcdefghijklmn")
    assert sorted(items(texts["IOCC1018202A"], "IOCC1018202A")) == list("abcdefghi")


def test_item_k_2013_has_seven_beneficiaries(texts: dict[str, Graph]) -> None:
    g = texts["INTA1319065A"]
    k = items(g, "INTA1319065A")["k"]
    bens = set(g.objects(k, DCI.beneficiary))
    assert bens == {org(x) for x in ("DGPN", "DGGN", "SG", "DGCL", "DGEF", "DGSCGC", "DSCR")}
    assert g.value(k, DCI.holder) == org("DCI")
    assert g.value(k, DCI.primaryRole) == ID["role/assure"]


def test_item_f_2010_is_for_police_and_gendarmerie_only(texts: dict[str, Graph]) -> None:
    g = texts["IOCC1018202A"]
    f = items(g, "IOCC1018202A")["f"]
    assert set(g.objects(f, DCI.beneficiary)) == {org("DGPN"), org("DGGN")}


def test_partner_and_co_decision_from_en_liaison_avec(texts: dict[str, Graph]) -> None:
    g = texts["INTA1319065A"]
    m = items(g, "INTA1319065A")["m"]
    assert set(g.objects(m, DCI.partner)) == {org("SSD")}
    assert g.value(m, DCI.primaryRole) == ID["role/definit-en-liaison"]
    b = items(g, "INTA1319065A")["b"]
    assert org("MAE") in set(g.objects(b, DCI.partner))
    assert org("MAE") not in set(g.objects(b, DCI.beneficiary))


def test_exclusion_clause_is_data(texts: dict[str, Graph]) -> None:
    g = texts["INTA1319065A"]
    chapeau = URIRef(f"{ID}text/INTA1319065A/art/1/para/1")
    ex = g.value(chapeau, DCI.hasExclusion)
    assert ex is not None and (ex, RDF.type, DCI.Exclusion) in g
    assert g.value(ex, DCI.reservedTo) == org("RENS")
    assert ID["topic/intelligence-services"] in set(g.objects(ex, DCI.excludedTopic))
    # the words of the exclusion are not a positive topic of the same mandate
    assert not set(g.objects(ex, DCI.excludedTopic)) & set(g.objects(chapeau, DCI.topic))


def test_the_case_a_paragraph_reserves_is_an_exclusion(texts: dict[str, Graph]) -> None:
    # décret art. 23 para. 5: "hormis le cas où une autre direction du ministère a la qualité d'autorité responsable
    # ou d'autorité déléguée vis-à-vis de l'Union européenne"
    g = texts["INTA1319026D"]
    five = URIRef(f"{ID}text/INTA1319026D/art/23/para/5")
    ex = g.value(five, DCI.hasExclusion)
    assert ex is not None and g.value(ex, DCI.reservedTo) == org("EU-FUNDS-AUTHORITY")
    assert str(g.value(ex, DCI.text)).startswith("hormis le cas où")
    assert ID["topic/eu-funds-authority"] in set(g.objects(ex, DCI.excludedTopic))
    assert ID["topic/funds-management"] in set(g.objects(five, DCI.topic))
    assert not set(g.objects(ex, DCI.excludedTopic)) & set(g.objects(five, DCI.topic))


def test_replaces_ends_the_older_text_the_day_before(texts: dict[str, Graph]) -> None:
    g = texts["INTA1319065A"]
    old = ID["text/IOCC1018202A"]
    assert str(g.value(old, ELI.date_no_longer_in_force)) == "2013-10-01"
    assert str(g.value(ID["text/INTA1319065A"], ELI.first_date_entry_in_force)) == "2013-10-02"


def test_decree_numbered_items_inherit_the_introduction(texts: dict[str, Graph]) -> None:
    g = texts["INTA1319026D"]
    one = URIRef(f"{ID}text/INTA1319026D/art/23/item/1")
    assert g.value(one, DCI.holder) == org("DCI")
    assert g.value(one, DCI.primaryRole) == ID["role/est-chargee"]
    # an item without a verb must not become the subject of the paragraphs after it
    five = URIRef(f"{ID}text/INTA1319026D/art/23/para/5")
    assert g.value(five, DCI.holder) == org("DCI")


def test_bracketed_note_is_kept_as_note_not_text(texts: dict[str, Graph]) -> None:
    g = texts["IOCC1018202A"]
    notes = [
        str(n) for n in g.objects(ID["text/IOCC1018202A"], URIRef("http://www.w3.org/2004/02/skos/core#editorialNote"))
    ]
    assert any("probably close to arts" in n for n in notes)
    assert not any("probably close" in str(t) for t in g.objects(None, DCI.text))


GENERIC = """---
title: "Arrêté fictif de test"
nor: TEST2099001A
date_document: 2099-01-01
in_force_from: 2099-02-01
source: test
---

Article 1

La direction de la coopération internationale coordonne les actions suivantes :

1° La coopération technique relevant de la compétence de la direction générale des étrangers en France ;

2° Les relations avec le secrétariat général.

Article 2

En liaison avec le ministère des affaires étrangères, elle définit les priorités.
"""


def test_parser_is_generic(vocab: Vocabulary) -> None:
    g = to_graph(read_document(GENERIC, "generic.md"), vocab)
    one = URIRef(f"{ID}text/TEST2099001A/art/1/item/1")
    assert g.value(one, DCI.holder) == org("DCI")
    assert set(g.objects(one, DCI.beneficiary)) == {org("DGEF")}
    assert g.value(one, DCI.primaryRole) == ID["role/coordonne"]
    two = URIRef(f"{ID}text/TEST2099001A/art/2/para/1")
    assert g.value(two, DCI.holder) is None  # "elle" has no antecedent in article 2
    assert (URIRef(f"{ID}text/TEST2099001A/art/1/item/2"), DCI.beneficiary, org("SG")) in g


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("Article 1\n\na) Elle anime tout.\n\nc) Elle coordonne le reste.\n", 13, "c) where b) was expected"),
        ("Article 1\n\nLa direction de la coopération internationale :\n\na) Rien du tout ici.\n", 13, "no role verb"),
        ("Préambule égaré.\n\nArticle 1\n\nTexte.\n", 9, "before the first 'Article N'"),
        ("Article 1\n\nTexte.\n\nArticle 1\n\nEncore.\n", 13, "article 1 appears twice"),
        ("Texte sans article.\n", 9, "before the first"),
    ],
)
def test_unparseable_text_names_the_line(vocab: Vocabulary, body: str, line: int, reason: str) -> None:
    head = GENERIC.split("Article 1")[0]
    with pytest.raises(LegalTextError) as exc:
        to_graph(read_document(head + body, "bad.md"), vocab)
    assert exc.value.line == line
    assert reason in str(exc.value)
    assert str(exc.value).startswith(f"bad.md:{line}:")


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("title: x\nnor: TEST2099001A\ndate_document: 2099-01-01\nsource: s\n", "'in_force_from'"),
        ("title: x\nnor: TEST2099001A\ndate_document: 2019-02-30\nin_force_from: null\nsource: s\n", "not an ISO date"),
        ("title: x\nnor: bad nor\ndate_document: 2099-01-01\nin_force_from: null\nsource: s\n", "not a NOR"),
        ("title: [unclosed\n", "not valid YAML"),
        (
            "title: x\nnor: TEST2099001A\ndate_document: 2099-01-01\nin_force_from: 2099-05-01\n"
            "in_force_to: 2099-01-01\nsource: s\n",
            "before in_force_from",
        ),
    ],
)
def test_bad_front_matter_is_refused(front: str, reason: str) -> None:
    with pytest.raises(LegalTextError, match=reason):
        read_document(f"---\n{front}---\n\nArticle 1\n\nTexte.\n", "bad.md")
