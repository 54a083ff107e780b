"""The reference data read against its sources (issue 14, part 4; docs/data-audit.md). Each test is a class of
error the audit found; the source cells are quoted here as the research digest gives them
(shared/sources/facts.md), so the test states what the data must agree with."""

from __future__ import annotations

import pycountry
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from vocab.lexicon import fold
from vocab.namespaces import DCI
from vocab.paths import REFERENCE_DIR

ID = "https://w3id.org/dci-kg/id/"
CERTAIN = URIRef(ID + "certainty/certain")

# facts.md §3.4, per SSI seat: (host country cell, "also covers" cell), quoted
COVERAGE_SOURCE = {
    "Riga": ("Latvia", "Lithuania, Estonia (\"compétence régionale … sur les trois États baltes\"), created 1992"),
    "Vilnius": ("Lithuania", "regional Baltic role implied by the article title (\"à la croisée des pays baltes\"); "
                             "exact coverage not stated in the excerpt"),
    "Madrid": ("Spain", "Andorra"),
    "Belgrade": ("Serbia", "Montenegro"),
    "New Delhi": ("India", "Nepal, Sri Lanka, Maldives, Bangladesh"),
    "Singapore": ("Singapore", "Brunei, Malaysia, Philippines (SSI opened 1992)"),
    "Hanoi": ("Viet Nam", "Laos"),
    "Brussels": ("Belgium", "liaison officer for Benelux (organised crime)"),
    "Bamako": ("Mali", "(Mali only; SSI present since 1961)"),
    "Tirana": ("Albania", "SCTIP delegation opened 1998; immigration liaison officer since Sept 2003"),
    "Kiev": ("Ukraine", "ASI post created Sept 2003"),
    "Bratislava": ("Slovakia", "ASI in post since Sept 1997"),
    "Zagreb": ("Croatia", "ASI post created (stated in 2009); \"pôle de Zagreb\" on Balkan crime"),
    "Tripoli": ("Libya", "SCTIP delegation created Sept 2005"),
}  # fmt: skip
# a region a cell names, for a coverage the data marks uncertain (the exact countries are not stated)
REGIONS = {"baltic": {"LV", "LT", "EE"}}


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _names(alpha2: str) -> set[str]:
    c = pycountry.countries.get(alpha_2=alpha2)
    names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
    return {fold(n) for n in names} | {fold(n.split()[0]) for n in names if len(n.split()[0]) > 3}


def _named(cell: str, alpha2: str) -> bool:
    text = fold(cell)
    return any(n in text for n in _names(alpha2))


def test_every_coverage_has_a_source_that_names_that_country(graph: Graph) -> None:
    """Brussels 'covered' the Netherlands and Luxembourg where the source names a liaison officer for the Benelux."""
    coverages = list(graph.subjects(RDF.type, DCI.CountryCoverage))
    assert len(coverages) > 20
    wrong = []
    for cov in coverages:
        service = graph.value(cov, DCI.coveringService)
        city = str(graph.value(service, DCI.seatCity))
        alpha2 = str(graph.value(cov, DCI.coveredCountry)).rsplit("/", 1)[-1]
        host, covers = COVERAGE_SOURCE[city]
        uncertain = graph.value(cov, DCI.certainty) == URIRef(ID + "certainty/uncertain")
        by_region = uncertain and any(r in fold(covers) and alpha2 in cs for r, cs in REGIONS.items())
        if not (_named(host, alpha2) or _named(covers, alpha2) or by_region):
            wrong.append(f"{cov} ({city} covers {alpha2})")
    assert not wrong, f"coverages no source names: {wrong}"


def test_a_liaison_officer_for_a_region_is_not_a_coverage(graph: Graph) -> None:
    covered = {
        str(graph.value(c, DCI.coveredCountry)).rsplit("/", 1)[-1]
        for c in graph.subjects(DCI.coveringService, URIRef(ID + "org/SSI-BRUSSELS"))
    }
    assert covered == {"BE"}


# facts.md dates that the research tags probable: a dated fact starting or ending on them is not certain
PROBABLE_DATES = {
    ("validTo", "2013-10-01"),  # the 2010 arrêté's end: its repeal by the 2013 arrêté is [P] (§1.1)
    ("validTo", "2015"),  # the Riga SSI existed 1992-2015 [P] (§3.4)
    ("validFrom", "2021-08-01"),  # the DCIS name and structure from 1 August 2021 [P] (§1.1)
    ("validFrom", "2022-05"),  # the Vilnius SSI re-opened in May 2022 [P] (§3.4)
}


@pytest.mark.parametrize(("prop", "day"), sorted(PROBABLE_DATES))
def test_an_interval_from_a_probable_source_is_not_marked_certain(graph: Graph, prop: str, day: str) -> None:
    """The certainty of a date is its own (dci:endCertainty: a link certain under its text, the text's end
    probable), else the fact's."""
    facts = [s for s, o in graph.subject_objects(DCI[prop]) if str(o) == day]
    assert facts, f"no dated fact with {prop} {day}"

    def of_date(s: URIRef) -> URIRef | None:
        own = graph.value(s, DCI.endCertainty) if prop == "validTo" else None
        return own if own is not None else graph.value(s, DCI.certainty)

    certain = sorted(str(s) for s in facts if of_date(s) == CERTAIN)
    assert not certain, f"marked certain although {prop} {day} is probable in the sources: {certain}"


def test_every_membership_of_a_committee_is_dated_by_the_text_that_names_it(graph: Graph) -> None:
    """The 2010 arrêté (in force 2010-09-01) names only the two directors general; the 2013 one adds five."""
    assert not list(graph.subject_objects(ORG.hasMember)), "an undated membership (org:hasMember)"
    copil = URIRef(ID + "org/COPIL")
    since = {
        str(graph.value(m, ORG.member)).rsplit("/", 1)[-1]: str(graph.value(m, DCI.validFrom))
        for m in graph.subjects(ORG.organization, copil)
    }
    assert since == {"DGPN": "2010-09-01", "DGGN": "2010-09-01", "SG": "2013-10-02", "DGCL": "2013-10-02",
                     "DGEF": "2013-10-02", "DGSCGC": "2013-10-02", "DSCR": "2013-10-02"}  # fmt: skip
    for m in graph.subjects(ORG.organization, copil):
        assert (m, RDF.type, ORG.Membership) in graph and graph.value(m, DCTERMS.source) is not None


# facts.md §3.3: the figures the research gives as approximate ("~300"), by source
APPROXIMATE = {
    "https://www.interieur.gouv.fr/Le-ministere/La-direction-de-la-cooperation-internationale": DCI.staffCount,
    "https://www.police-nationale.interieur.gouv.fr/Organisation/Direction-de-la-Cooperation-Internationale-de-Securite":
        DCI.staffCount,
}  # fmt: skip


@pytest.mark.parametrize("source", sorted(APPROXIMATE))
def test_an_approximate_figure_is_marked_approximate(graph: Graph, source: str) -> None:
    """'~300' is not exactly 300."""
    obs = [o for o in graph.subjects(DCTERMS.source, URIRef(source)) if (o, RDF.type, DCI.NetworkObservation) in graph]
    assert len(obs) == 1
    assert graph.value(obs[0], APPROXIMATE[source]) is not None
    assert (obs[0], DCI.approximateFigure, APPROXIMATE[source]) in graph


def test_exact_figures_are_not_marked_approximate(graph: Graph) -> None:
    seed = URIRef(ID + "observation/2013-09-20-seed-riga-page")  # "260 policiers et gendarmes": exact
    assert graph.value(seed, DCI.staffCount) == Literal(260)
    assert graph.value(seed, DCI.approximateFigure) is None


def test_the_bodies_a_holder_represents_are_not_its_beneficiaries(graph: Graph) -> None:
    """'Représentant de la DGPN et de la DGGN …, l'ASI a pour mission de conseiller l'Ambassadeur': the ambassador
    is advised; DGPN and DGGN are represented, not served."""
    checked = 0
    for mandate, text in graph.subject_objects(DCI.text):
        cue = fold("Représentant de")
        if cue not in fold(str(text)):
            continue
        head = fold(str(text)).split(cue, 1)[1].split(",", 1)[0]
        represented = {
            o for o in graph.objects(mandate, DCI.mentions)
            if any(fold(str(lab)) in head for lab in graph.objects(o, SKOS.prefLabel))
            or any(fold(str(a)) in head for a in graph.objects(o, DCI.acronym))
        }  # fmt: skip
        assert represented, f"{mandate}: the represented bodies are not recorded as mentioned"
        assert not represented & set(graph.objects(mandate, DCI.beneficiary)), mandate
        checked += 1
    assert checked >= 1


def test_an_exclusion_read_from_the_scope_says_it_is_an_inference(graph: Graph) -> None:
    """The reference data's exclusions are not clauses (those come from the legal texts): each reads a text's scope,
    so it names that text, is not certain, and carries an editorial note saying it is an inference."""
    found = list(graph.subjects(RDF.type, DCI.Exclusion))
    assert found
    for ex in found:
        assert graph.value(ex, DCTERMS.source) is not None, ex
        assert graph.value(ex, DCI.certainty) not in (None, CERTAIN), ex
        assert "inference" in str(graph.value(ex, SKOS.editorialNote) or ""), ex
        assert graph.value(ex, DCI.reservedTo) is not None and graph.value(ex, DCI.text) is not None, ex
        assert any(graph.subjects(DCI.hasExclusion, ex)), ex
