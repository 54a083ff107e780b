"""The legal-text parser on organisation texts it was not written against (tests/data/legal-texts: a DGEF and a
DGCL text written for the tests before the parser was changed), on the secrétariat général's real text, and
with the dated names of organisations (`dci:OrganisationName`) picked at the text's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.services.bundle import reference_graph, vocabulary_graph
from loaders.legal_text import LegalTextError, load_file, read_document, to_graph
from loaders.vocabulary import Vocabulary
from tests.legal_graphs import named, org
from vocab.namespaces import DCI, ELI, ID, ORG
from vocab.paths import ROOT

DATA = ROOT / "tests/data"
DGEF = DATA / "legal-texts/test-fixture-arrete-dgef-organisation.md"
DGCL = DATA / "legal-texts/test-fixture-arrete-dgcl-organisation.md"
DCIS_2022 = DATA / "legal-texts/test-fixture-arrete-dcis-2022.md"
NAMES = DATA / "reference/test-dated-names.ttl"
SG_TEXT = Path("/work/shared/sources/legal-texts/arrete-2013-08-12-INTA1319029A.md")
NEW_NAMES = ("direction de la coopération internationale de sécurité", "délégation à la sécurité routière")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_graph(vocabulary_graph())


@pytest.fixture(scope="module")
def dated_vocab() -> Vocabulary:
    """The reference data with the DCIS and DSR names only as dated names (tests/data), never as plain labels."""
    reference = reference_graph()
    for s, p, o in list(reference):
        if isinstance(o, Literal) and str(o) in (*NEW_NAMES, "DCIS", "DSR"):
            reference.remove((s, p, o))
    for name in list(reference.subjects(RDF.type, DCI.OrganisationName)):
        reference.remove((name, None, None))
    reference.parse(NAMES)
    return Vocabulary.from_graph(vocabulary_graph(reference))


def parent(g: Graph, unit: URIRef) -> URIRef:
    return g.value(unit, ORG.subOrganizationOf)


def test_a_dated_name_names_the_body_only_while_it_is_valid(dated_vocab: Vocabulary) -> None:
    text = DCIS_2022.read_text(encoding="utf-8")
    chapeau = ID["text/arrete/2022/3/3/art/1/para/1"]
    g = to_graph(read_document(text, "2022"), dated_vocab)
    assert g.value(chapeau, DCI.holder) == org("DCI")  # DCIS, valid from 2021-08-01
    assert org("DSCR") in set(g.objects(chapeau, DCI.beneficiary))  # DSR: attested, no bounds known (open)
    name = "direction de la coopération internationale de sécurité"
    now, before = dated_vocab.at(dt.date(2022, 3, 3)), dated_vocab.at(dt.date(2015, 3, 3))
    assert [len(m.label.split()) for m in now.orgs.find(name)] == [7]  # the whole new name
    assert [m.label for m in before.orgs.find(name)] == ["direction de la coopération internationale"]
    # a 2015 text with these words names the DCI by its old name only: "de sécurité" is left over
    earlier = text.replace("2022-03-03", "2015-03-03").replace("2022-04-01", "2015-04-01")
    old = to_graph(read_document(earlier, "2015"), dated_vocab)
    assert old.value(ID["text/arrete/2015/3/3/art/1/para/1"], DCI.holder) == org("DCI")


def test_a_name_valid_between_signature_and_entry_into_force_counts(dated_vocab: Vocabulary) -> None:
    text = DCIS_2022.read_text(encoding="utf-8").replace("2022-03-03", "2021-07-15").replace("2022-04-01", "2021-08-01")
    g = to_graph(read_document(text, "2021"), dated_vocab)
    assert g.value(ID["text/arrete/2021/7/15/art/1/para/1"], DCI.holder) == org("DCI")


def test_composition_with_en_dashes_hyphens_and_numbered_units(vocab: Vocabulary) -> None:
    doc, g = load_file(DGEF, vocab)
    assert doc.nor is None and doc.key == "arrete/2019/2/4"
    immigration, asile = named(g, "direction de l'immigration"), named(g, "direction de l'asile")
    for unit in (immigration, asile, named(g, "service de l'intégration et de l'accès à la nationalité")):
        assert parent(g, unit) == org("DGEF")
        assert (unit, RDF.type, ORG.OrganizationalUnit) in g
    # "Elle comprend : - …" after the mandates of the same article
    assert parent(g, named(g, "sous-direction des visas")) == immigration
    # "1° Le bureau …, qui élabore …": the unit and the mandate the entry gives it
    bureau = named(g, "bureau de la réglementation de l'asile")
    item = ID["text/arrete/2019/2/4/art/3/item/1"]
    assert parent(g, bureau) == asile
    assert g.value(item, DCI.holder) == bureau and g.value(item, DCI.primaryRole) == ID["role/elabore"]
    dashes = ID["text/arrete/2019/2/4/art/2/para/1"]
    third = URIRef(f"{dashes}/dash/3")  # "- assurer le suivi … au profit de la direction générale de la police"
    assert g.value(third, DCI.holder) == immigration
    assert set(g.objects(third, DCI.beneficiary)) == {org("DGPN")}
    para = ID["text/arrete/2019/2/4/art/3/para/2"]
    assert g.value(para, DCI.holder) == asile and set(g.objects(para, DCI.partner)) == {org("DGGN")}


def test_sections_headings_and_a_partial_article(vocab: Vocabulary) -> None:
    _, g = load_file(DGCL, vocab)
    text = ID["text/arrete/2016/9/9"]
    assert g.value(text, DCI.partial) == Literal(True)
    finances = named(g, "sous-direction des finances locales et de l'action économique")
    assert parent(g, finances) == org("DGCL")
    section = ID["text/arrete/2016/9/9/art/1/para/2"]
    assert str(g.value(section, DCI.section)) == "II"
    # "II. ― La sous-direction … : ― prépare … ; ― élabore, en liaison avec …, … ; ― suit …"
    roles = [g.value(URIRef(f"{section}/dash/{j}"), DCI.primaryRole) for j in (1, 2, 3)]
    assert roles == [ID["role/elabore"], ID["role/elabore"], ID["role/suit"]]
    assert {g.value(URIRef(f"{section}/dash/{j}"), DCI.holder) for j in (1, 2, 3)} == {finances}
    assert set(g.objects(URIRef(f"{section}/dash/2"), DCI.partner)) == {org("DGSCGC")}
    # "Le bureau … :" names the holder of the items that follow; items a) and c) are not held, not absent
    bureau = named(g, "bureau des études et de la coopération internationale")
    d = ID["text/arrete/2016/9/9/art/2/item/d"]
    assert g.value(d, DCI.holder) == bureau
    assert set(g.objects(d, DCI.partner)) == {org("DCI")} and set(g.objects(d, DCI.beneficiary)) == {org("SG")}
    assert {str(n) for n in g.objects(None, DCI.letter)} == {"b", "d"}
    # a mandate sentence and "Elle comprend :" in one paragraph: both read
    elus = named(g, "sous-direction des élus locaux et de la fonction publique territoriale")
    first = ID["text/arrete/2016/9/9/art/3/para/1"]
    assert g.value(first, DCI.holder) == elus and g.value(first, DCI.primaryRole) == ID["role/est-chargee"]
    assert parent(g, named(g, "bureau des statuts et de la réglementation des personnels territoriaux")) == elus
    link = next(g.subjects(DCI.unit, elus))
    assert (str(g.value(link, DCI.validFrom)), str(g.value(link, DCI.validTo))) == ("2016-10-01", "2020-12-31")


def test_a_body_named_through_another_is_its_unit_not_a_namesake(vocab: Vocabulary) -> None:
    """"le cabinet du secrétaire général" is the SG's cabinet, not the DCI's (whose label is "cabinet")."""
    _, g = load_file(SG_TEXT, vocab)
    cabinet = named(g, "cabinet du secrétaire général")
    assert parent(g, cabinet) == org("SG")
    assert parent(g, named(g, "bureau du cabinet")) == cabinet
    assert org("CABINET") not in set(g.objects(None, ORG.subOrganizationOf))
    assert g.value(ID["text/INTA1319029A/art/1/para/6"], DCI.holder) == cabinet


def test_bodies_set_aside_are_not_beneficiaries(vocab: Vocabulary) -> None:
    """"à l'exception de ceux des services … de la police et de la gendarmerie", "sans préjudice des compétences
    de la direction …": named, not served."""
    _, g = load_file(SG_TEXT, vocab)
    for iri in ("text/INTA1319029A/art/11/para/3", "text/INTA1319029A/art/16/para/2"):
        assert (ID[iri], RDF.type, DCI.Mandate) in g
        assert set(g.objects(ID[iri], DCI.beneficiary)) == set(), iri
        assert set(g.objects(ID[iri], DCI.mentions)), iri


def test_every_unit_the_sg_text_creates_has_a_parent_and_a_dated_link(vocab: Vocabulary) -> None:
    _, g = load_file(SG_TEXT, vocab)
    units = set(g.subjects(RDF.type, ORG.OrganizationalUnit))
    assert len(units) >= 120
    for unit in units:
        link = next(g.subjects(DCI.unit, unit))
        assert g.value(link, DCI.unitOf) == parent(g, unit) is not None
        assert str(g.value(link, DCI.validFrom)) == "2013-10-02"
    holders = {g.value(m, DCI.holder) for m in g.subjects(RDF.type, DCI.Mandate)}
    assert len(holders & units) >= 25
    assert {str(g.value(a, ELI.number)) for a in g.subjects(RDF.type, DCI.Article)} >= {str(n) for n in range(1, 31)}


def test_the_2021_text_held_in_part_from_what_the_sources_quote(dated_vocab: Vocabulary) -> None:
    doc, g = load_file(DATA / "legal-texts/arrete-2021-07-15-dcis-partial.md", dated_vocab)
    text = ID["text/arrete/2021/7/15"]
    assert doc.key == "arrete/2021/7/15" and g.value(text, DCI.nor) is None
    assert g.value(text, DCI.partial) == Literal(True)
    assert g.value(text, DCI.certainty) == ID["certainty/certain"]
    assert g.value(text, DCI.inForceCertainty) == ID["certainty/probable"]  # "le 1er août" [P]
    article = ID["text/arrete/2021/7/15/art/unnumbered-1"]  # "Article ?": its number was not retrieved
    assert (article, RDF.type, DCI.Article) in g and g.value(article, SKOS.editorialNote) is not None
    para = URIRef(f"{article}/para/1")
    assert g.value(para, DCI.holder) == org("DCI")  # by its DCIS name, valid when the text enters into force
    assert g.value(para, DCI.primaryRole) == ID["role/dirige"]
    # the network it directs is the mission's object, not its beneficiary
    assert set(g.objects(para, DCI.beneficiary)) == set() and set(g.objects(para, DCI.mentions))


def test_an_unnumbered_article_needs_a_partial_text() -> None:
    text = DATA.joinpath("legal-texts/arrete-2021-07-15-dcis-partial.md").read_text(encoding="utf-8")
    with pytest.raises(LegalTextError, match=r"'Article \?' \(number not retrieved\) needs 'partial: true'"):
        read_document(text.replace("partial: true\n", ""), "whole")
    with pytest.raises(LegalTextError, match="'in_force_certainty' must be one of certain, probable, uncertain"):
        read_document(text.replace("in_force_certainty: probable", "in_force_certainty: likely"), "bad")


def test_nested_compositions_and_units_named_by_the_start_of_their_name(vocab: Vocabulary) -> None:
    _, g = load_file(SG_TEXT, vocab)
    # art. 19: "1° La sous-direction …, composée des bureaux suivants : ― le bureau …" inside the service's list
    service = named(g, "service des affaires financières ministériel")
    synthese = named(g, "sous-direction de la synthèse et du pilotage budgétaires")
    assert parent(g, synthese) == service
    assert parent(g, named(g, "bureau de la synthèse budgétaire")) == synthese
    # art. 7: "Le bureau des élections prépare …" is the "bureau des élections et des études politiques" of art. 3
    elections = named(g, "bureau des élections et des études politiques")
    assert g.value(ID["text/INTA1319029A/art/7/para/1"], DCI.holder) == elections


def test_em_dashes_infinitive_missions_and_unit_entries_with_their_mission(vocab: Vocabulary) -> None:
    _, g = load_file(DATA / "legal-texts/test-fixture-arrete-dgscgc-organisation.md", vocab)
    base = "text/arrete/2017/5/20/art"
    pompiers = named(g, "direction des sapeurs-pompiers")
    assert parent(g, pompiers) == org("DGSCGC")
    assert org("CABINET") not in set(g.subjects()) | set(g.objects())  # "outre le cabinet": not the DCI's
    # "est chargée : ― de définir … ; ― d'élaborer, en liaison avec …, …"
    assert g.value(ID[f"{base}/2/para/1/dash/1"], DCI.primaryRole) == ID["role/definit"]
    assert set(g.objects(ID[f"{base}/2/para/1/dash/2"], DCI.partner)) == {org("DGGN")}
    # "― le bureau des formations, qui conduit la formation des officiers ;": a unit and its mandate
    formations = named(g, "bureau des formations")
    assert parent(g, formations) == pompiers
    assert g.value(ID[f"{base}/2/para/2/dash/2"], DCI.holder) == formations
    service = named(g, "service de la planification et de la gestion des crises")
    b = ID[f"{base}/3/item/b"]  # "b) De suivre, au profit du secrétariat général, …"
    assert g.value(b, DCI.holder) == service and set(g.objects(b, DCI.beneficiary)) == {org("SG")}
