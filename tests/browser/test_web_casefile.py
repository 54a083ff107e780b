"""The case file on the Ask page, in a real browser (the fixtures of tests/browser/test_web.py): one card per
answer with its sections (other provisions, the unit handling it, the service abroad, the instruments), no
score shown, in French and in English; screenshots in tests/output/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_web import Web, shot
from tests.browser.test_web import browser as browser  # the fixtures of tests/browser/test_web.py
from tests.browser.test_web import page as page
from tests.browser.test_web import web as web

FIREFIGHTERS = {
    "fr": "Qui organise la formation des sapeurs-pompiers au Liban ?",
    "en": "Who trains firefighters in Lebanon?",
}
LITHUANIA = "Quel service de l'ambassade couvre la Lituanie ?"


def test_the_case_file_of_training_firefighters_in_lebanon_in_french(page: Page, web: Web):
    page.goto(web.url + "/")
    page.get_by_label("Question").fill(FIREFIGHTERS["fr"])
    page.get_by_label("Date (facultative)").fill("2014-06-01")
    page.get_by_label("Question").press("Enter")
    first = page.locator("article.card").first
    expect(first.locator(".cite")).to_contain_text("art. 1 e)")
    also = first.locator("section.also")
    expect(also.get_by_role("heading")).to_have_text("Autres dispositions couvrant le cas")
    expect(also.locator("li[data-kind=general]").first).to_contain_text("art. 23 2°")
    expect(also.locator("li[data-kind=chapeau]").first).to_contain_text("chapeau de l'article")
    handled = first.locator("section.handled-by")
    expect(handled.get_by_role("heading")).to_have_text("Unité chargée du dossier")
    expect(handled).to_contain_text("sous-direction de la coopération de sécurité et de gouvernance")
    expect(handled.get_by_role("link", name="art. 4")).to_be_visible()
    instruments = first.locator("section.instruments")
    expect(instruments.get_by_role("heading")).to_have_text("Accords et arrangements avec le pays")
    lb = instruments.locator("li[data-id=LB-2010-01-21-agreement]")
    expect(lb).to_contain_text("sécurité civile")
    expect(lb).to_contain_text("statut à la date : signé (depuis le 21 janvier 2010)")
    expect(page.locator("article.card").filter(has_text="score")).to_have_count(0)  # no score for legal staff
    shot(page, "ask-case-file")


def test_the_case_file_in_english_is_in_english(page: Page, web: Web):
    page.goto(web.url + "/?lang=en&at=2014-06-01&q=" + FIREFIGHTERS["en"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    first = page.locator("article.card").first
    expect(first.locator("section.also h4")).to_have_text("Other provisions covering the case")
    expect(first.locator("section.also li[data-kind=general]").first).to_contain_text("general text the arrêté details")
    expect(first.locator("section.handled-by h4")).to_have_text("Unit handling the case")
    expect(first.locator("section.instruments h4")).to_have_text("Agreements and arrangements with the country")
    lb = first.locator("section.instruments li[data-id=LB-2010-01-21-agreement]")
    expect(lb).to_contain_text("status on the date: signed (since 21 January 2010)")
    for french in ("Autres dispositions", "Unité chargée", "statut à la date", "depuis le"):
        expect(page.locator("main")).not_to_contain_text(french)
    shot(page, "ask-case-file-en")


def test_the_service_abroad_is_shown_with_its_source(page: Page, web: Web):
    page.goto(web.url + "/?at=2013-01-01&q=" + LITHUANIA)
    abroad = page.locator("section.abroad").first
    expect(abroad.get_by_role("heading")).to_have_text("À l'étranger")
    expect(abroad).to_contain_text("service de sécurité intérieure de Riga couvre Lituanie")
    expect(abroad).to_contain_text("1992–2015")
    expect(abroad.get_by_role("link", name="https://ee.ambafrance.org/La-cooperation-dans-le-domaine-de")).to_be_visible()
    shot(page, "ask-case-file-abroad")
    page.goto(web.url + "/?lang=en&at=2013-01-01&q=Which internal security service covers Lithuania?")
    abroad = page.locator("section.abroad").first
    expect(abroad.get_by_role("heading")).to_have_text("Abroad")
    expect(abroad).to_contain_text("covers Lithuania")
    shot(page, "ask-case-file-abroad-en")


def test_items_the_ranking_cannot_tell_apart_say_that_both_apply(page: Page, web: Web):
    page.goto(web.url + "/?at=2014-06-01&q=Qui anime la coopération technique du ministère ?")
    note = page.locator("article.card").first.locator("section.ambiguous")
    expect(note.get_by_role("heading")).to_have_text("Les deux s'appliquent")
    expect(note).to_contain_text("le classement ne les départage pas : art. 1 f)")
    expect(note).to_contain_text("art. 1 g)")
    expect(note).to_contain_text("DSCR")
    shot(page, "ask-case-file-ambiguous")
