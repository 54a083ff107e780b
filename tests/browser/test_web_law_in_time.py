"""The law as it stood on the day, in a real browser (the fixtures of tests/browser/test_web.py): the Ask card of an
answer from a superseded text, in French and English, and the organisation today and in 2014."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_web import QUESTION, Web, shot
from tests.browser.test_web import browser as browser  # the fixtures of tests/browser/test_web.py
from tests.browser.test_web import page as page
from tests.browser.test_web import web as web


def test_an_answer_from_a_superseded_text_says_so_in_french(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2026-01-01")
    first = page.locator("article.card").first
    expect(first.locator("h3")).to_contain_text("DCIS")
    expect(first.locator(".cite")).to_contain_text("art. 1 k)")
    expect(first.locator(".cite")).to_contain_text("jusqu'au 31 juillet 2021")
    note = first.locator("p.superseded")
    expect(note).to_contain_text("remplacé le 1er août 2021 par")
    expect(note).to_contain_text("Arrêté du 15 juillet 2021")
    expect(note).to_contain_text("(texte non disponible dans la base)")
    expect(note.locator(".certainty")).to_have_text("probable")
    expect(note.get_by_role("link", name="Arrêté du 15 juillet 2021", exact=False)).to_have_attribute(
        "href", web.url + "/id/text/ARRETE-2021-07-15-DCIS"
    )
    shot(page, "ask-superseded")


def test_the_same_warning_in_english(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2026-01-01&lang=en")
    note = page.locator("article.card").first.locator("p.superseded")
    expect(note).to_contain_text("replaced on 1 August 2021 by")
    expect(note).to_contain_text("(text not available in the knowledge base)")
    page.goto(web.url + "/?q=" + QUESTION + "&at=2026-01-01&lang=fr")  # leave the cookie in French


def test_an_answer_in_force_has_no_warning(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2015-06-01")
    first = page.locator("article.card").first
    expect(first.locator(".cite")).to_contain_text("art. 1 k)")
    expect(first.locator("h3")).to_contain_text("DCI")
    expect(page.locator("p.superseded")).to_have_count(0)


def test_the_organisation_today_is_the_dcis_with_what_is_unknown(page: Page, web: Web):
    page.goto(web.url + "/organisation?at=2026-01-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation — DCIS")
    expect(page.locator(".name-at")).to_contain_text("nom en vigueur depuis le 1er août 2021")
    expect(page.locator(".name-at .certainty")).to_have_text("probable")
    svg = page.locator("svg#orgchart")
    expect(svg.locator("a.node.root")).to_contain_text("DCIS")
    expect(svg.locator('a.node.unit[href$="/id/org/DCIS-EM"]')).to_have_count(1)
    expect(svg.locator('a.node.unit[href$="/id/org/DCIS-SDEUROPE"]')).to_have_count(1)
    for ended_or_unknown in ("SDCSG", "SDCMP", "SDAF", "CVO", "SSI-RIGA"):
        expect(svg.locator(f'a.node[href$="/id/org/{ended_or_unknown}"]')).to_have_count(0)
    unknown = page.locator("section.unknown")
    expect(unknown.get_by_role("heading")).to_have_text("État inconnu à cette date")
    sdcsg = unknown.locator('li[data-state="unknown"]').filter(has=page.locator('a[href$="/id/org/SDCSG"]'))
    expect(sdcsg).to_contain_text("sous-direction de la coopération de sécurité et de gouvernance")
    expect(sdcsg).to_contain_text("rattachement certain sous ce texte, en vigueur jusqu'au 31 juillet 2021")
    expect(sdcsg.locator(".certainty")).to_have_text("probable")  # the end of the 2013 arrêté
    expect(unknown).not_to_contain_text("SSI-RIGA")
    texts = page.locator("section.superseded-texts")
    expect(texts).to_contain_text("Arrêté du 12 août 2013")
    expect(texts).to_contain_text("(texte non disponible dans la base)")
    shot(page, "organisation-today")


def test_the_organisation_in_2014_shows_the_2013_structure(page: Page, web: Web):
    page.goto(web.url + "/organisation?at=2014-01-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation — DCI")
    svg = page.locator("svg#orgchart")
    for unit in ("SDCSG", "SDCMP", "SDAF", "SSI-RIGA"):
        expect(svg.locator(f'a.node.unit[href$="/id/org/{unit}"]')).to_have_count(1)
    expect(page.locator("section.unknown")).to_have_count(0)
    expect(page.locator("section.superseded-texts")).to_have_count(0)


def test_the_end_of_a_superseded_text_shows_its_certainty(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2026-01-01")
    cite = page.locator("article.card").first.locator(".cite")
    expect(cite).to_contain_text("jusqu'au 31 juillet 2021")
    expect(cite.locator('.certainty[data-of="in_force_to"]')).to_have_text("probable")
    page.goto(web.url + "/?q=" + QUESTION + "&at=2015-06-01")  # in force: no end, no badge
    expect(page.locator('article.card .cite .certainty[data-of="in_force_to"]')).to_have_count(0)


def test_a_unit_link_that_is_not_certain_is_dotted_and_says_so(page: Page, web: Web):
    page.goto(web.url + "/organisation?at=2026-01-01")
    dotted = page.locator("svg#orgchart g.edge.unit.uncertain")
    expect(dotted).to_have_count(2)  # the état-major and the sous-direction Europe, probable (facts.md §3.2)
    expect(dotted.first.locator("path")).to_have_attribute("stroke-dasharray", "2 3")
    expect(dotted.first.locator("title")).to_contain_text("DCIS")
    solid = page.locator("svg#orgchart g.edge.unit:not(.uncertain) path")  # the DCIS under the DGPN: certain
    expect(solid).not_to_have_count(0)
    expect(solid.first).not_to_have_attribute("stroke-dasharray", "2 3")
    expect(page.locator(".legend .u")).to_have_text("rattachement probable ou non vérifié (pointillés)")
    em = page.locator('.org-tree li[data-certainty="probable"]').filter(has_text="état-major de la DCIS")
    expect(em).to_have_count(1)
    expect(em.locator(".certainty")).to_have_text("probable")
    page.goto(web.url + "/organisation?at=2014-01-01&lang=en")
    sure = page.locator('svg#orgchart a.node.unit[href$="/id/org/SDCSG"]')
    expect(sure).to_have_count(1)
    expect(page.locator("svg#orgchart g.edge.unit.uncertain")).to_have_count(1)  # SSI Riga's link is probable
    expect(page.locator(".legend .u")).to_have_text("probable or unverified link (dotted)")
    expect(page.locator('.org-tree li[data-certainty="certain"]').first.locator(".certainty")).to_have_count(0)
    page.goto(web.url + "/organisation?at=2014-01-01&lang=fr")  # leave the cookie in French


def test_a_name_whose_date_is_not_certain_says_so_on_the_card(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2026-01-01")
    first = page.locator("article.card").first
    expect(first.locator("h3 .name-date .certainty")).to_have_text("probable")  # DCIS from 2021-08-01 [P]
    dsr = first.locator('.name-date[data-org$="/id/org/DSCR"]')
    expect(dsr).to_contain_text("nom attesté le 15 juillet 2021 (début inconnu)")
    expect(dsr.locator(".certainty")).to_have_text("non vérifié")  # facts.md §1.6 [U]
    page.goto(web.url + "/?q=" + QUESTION + "&at=2015-06-01")
    first = page.locator("article.card").first
    expect(first.locator("h3 .name-date")).to_have_count(0)  # DCI from 2010-09-01, certain
    expect(first.locator('.name-date[data-org$="/id/org/DSCR"]')).to_contain_text("nom attesté le 12 août 2013")
