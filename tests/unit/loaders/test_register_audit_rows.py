"""The bundled register read against its research (issue 14, part 4; docs/data-audit.md): each test is a class
of error the audit found in data/register/agreements.csv."""

from __future__ import annotations

import re

import pytest

from loaders.register import read_rows
from vocab.paths import REGISTER_DIR

# the statuses whose day the register has a column for (ontology/statuses.ttl, dci:datedBy)
DATED_BY_A_COLUMN = {"signed": "signed_on", "approved": "approved_on", "in_force": "in_force_on",
                     "terminated": "ended_on"}  # fmt: skip
DECREE = re.compile(r"décret n° [\d-]+ du (\d{1,2}) (\w+) (\d{4})")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")  # fmt: skip


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, str]]:
    return {r["id"]: dict(r) for r in read_rows(REGISTER_DIR / "agreements.csv")}


def test_a_status_from_an_as_of_source_is_a_dated_event(rows) -> None:
    """`approval_pending` from a report 'as of' 2009-2014 is dated by that report, never undated."""
    pending = [r for r in rows.values() if r["status"] == "approval_pending"]
    assert len(pending) >= 5
    for r in pending:
        days = re.findall(r"\d{4}-\d{2}-\d{2}", r["approval_law"])
        assert r["status_on"] and r["status_on"] == max(days), r["id"]
    for r in rows.values():
        if r["status"] and r["status"] not in DATED_BY_A_COLUMN and DECREE.search(r["note"]):
            assert r["status_on"], f"{r['id']}: the source dates its status, the row does not"


def test_a_known_publication_decree_makes_the_status_published(rows) -> None:
    """LB-1993 was `in_force` although its publication decree (n° 95-352 of 28 March 1995) is known."""
    for r in rows.values():
        m = DECREE.search(r["note"])
        if m and "publi" in r["note"]:
            assert r["status"] == "published", r["id"]
            day = f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
            assert r["status_on"] == day, r["id"]
    assert rows["LB-1993-10-14-protocol"]["status"] == "published"


def test_research_certainty_is_a_column_not_free_text(rows) -> None:
    for r in rows.values():
        assert r["certainty"] in {"C", "P", "U"}, r["id"]
        assert "certitude de la fiche" not in r["note"], r["id"]
    assert rows["SA-2008-02-24-agreement"]["certainty"] == "P"  # the research row's 'medium'


# the links the research notes state, with the words that state them
LINKS = {
    "LB-2010-01-21-agreement": ("completes:LB-1993-10-14-protocol",
                                "complète le protocole de coopération du 1993-10-14"),
    "SA-1981-03-14-protocol": ("completes:SA-1980-11-02-protocol",
                               "Protocole complétant le protocole de coopération de 1980"),
    "SA-2008-02-24-agreement": ("follows:SA-1980-11-02-protocol", "remplacé/complété par l'accord de 2008"),
    "RU-2003-02-10-agreement": ("follows:RU-1992-02-06-protocol", "cadre antérieur à l'accord de 2003"),
}  # fmt: skip


@pytest.mark.parametrize("rid", sorted(LINKS))
def test_links_the_research_states_are_recorded(rows, rid: str) -> None:
    link, words = LINKS[rid]
    target = rows[link.split(":", 1)[1]]
    assert words in rows[rid]["note"] + rows[rid]["title"] + target["note"]
    assert link in rows[rid]["related"].split(";")


def test_a_link_whose_kind_the_source_leaves_open_is_not_settled_for_it(rows) -> None:
    """'remplacé/complété': neither 'replaces' nor 'completes' is stated, so the row says 'follows'."""
    assert rows["SA-2008-02-24-agreement"]["related"] == "follows:SA-1980-11-02-protocol"


def test_the_instruments_of_facts_md_are_in_the_register(rows) -> None:
    """facts.md §2.2: the Hungarian agreement of 17 January 1997 and the DGPN arrangement that completes it."""
    hu = rows["HU-1997-01-17-agreement"]
    assert (hu["kind"], hu["signed_on"], hu["certainty"], hu["status"]) == ("agreement", "1997-01-17", "P", "")
    arr = rows["HU-DGPN-garde-frontiere-arrangement"]
    assert arr["kind"] == "technical_arrangement" and arr["parent_id"] == "HU-1997-01-17-agreement"
    assert arr["signed_on"] == "" and arr["certainty"] == "P"  # its date was not found: nothing is guessed
    assert "Garde-Frontière" in arr["partner_authority"]
