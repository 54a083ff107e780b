"""The web page in a real browser: Playwright drives Debian's chromium (/usr/bin/chromium, installed by
scripts/setup-test.sh) against the app served by uvicorn on 127.0.0.1. Every request the browser makes
is recorded; none may leave 127.0.0.1. Screenshots of each page go to tests/output/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from api.app import create_app
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.settings import Settings
from kg.store import EmbeddedStore
from tests.conftest import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "output" / "screenshots"
QUESTION = "Qui négocie les arrangements techniques pour la gendarmerie ?"


@dataclass
class Web:
    url: str
    store: EmbeddedStore
    tokens: dict[str, str]
    tokens_file: Path
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def web(reference_store, tmp_path_factory) -> Iterator[Web]:
    """The app under uvicorn on 127.0.0.1, on a private in-memory copy of the bundled knowledge base."""
    tmp = tmp_path_factory.mktemp("web")
    tokens_file = tmp / "tokens.json"
    tf = TokenFile(tokens_file)
    tokens = {r.value: tf.create(r, f"web-{r.value}")[0] for r in Role}
    store = EmbeddedStore(None)
    store.bulk_add(reference_store.quads())
    app = create_app(Settings(store=tmp / "unused", tokens_file=tokens_file), store)
    with serve(app) as url:
        yield Web(url, store, tokens, tokens_file)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, web: Web, request) -> Iterator[Page]:
    """A fresh page whose every request is recorded, and refused unless it goes to 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")

    def guard(route: Route) -> None:
        url = route.request.url
        web.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    yield p
    context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# -- Ask ---------------------------------------------------------------------------------------------
def test_ask_a_question_and_read_the_card(page: Page, web: Web):
    page.goto(web.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Date (facultative)").fill("2014-01-01")
    page.get_by_label("Question").press("Enter")
    first = page.locator("article.card").first
    expect(first).to_be_visible()
    expect(first.locator("h3")).to_contain_text("DCI")
    expect(first.locator(".badge")).to_have_text("met en œuvre")
    expect(first.locator("blockquote")).to_contain_text("arrangements techniques")
    expect(first.locator(".cite")).to_contain_text("art. 1 k)")
    expect(first.locator("dd").filter(has_text="DGGN")).to_be_visible()
    expect(first.locator("a.eli")).to_have_attribute(
        "href", "https://www.legifrance.gouv.fr/eli/arrete/2013/8/12/INTA1319065A/jo/texte"
    )
    expect(first.locator(".why")).to_contain_text("arrangements techniques")
    shot(page, "ask")


def test_an_exclusion_is_shown_plainly(page: Page, web: Web):
    page.goto(web.url + "/")
    page.get_by_label("Question").fill("Coopération avec les services de renseignement étrangers")
    page.get_by_role("button", name="Chercher").click()
    card = page.locator("article.card.excluded").first
    expect(card.locator(".badge")).to_have_text("exclu")
    expect(card.locator(".verdict")).to_contain_text("non compétent — réservé à")
    expect(card.locator(".verdict")).to_contain_text("services de renseignement")
    shot(page, "ask-exclusion")


def test_the_page_switches_to_english_and_remembers_it(page: Page, web: Web):
    page.goto(web.url + "/?q=" + QUESTION + "&at=2014-01-01")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is competent?")
    expect(page.locator("article.card .badge").first).to_have_text("implements")
    page.goto(web.url + "/organisation")  # the cookie keeps the choice
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "ask-en")


def test_ask_is_usable_with_the_keyboard_and_at_phone_width(browser: Browser, web: Web):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    p = context.new_page()
    p.goto(web.url + "/")
    expect(p.get_by_label("Question")).to_be_focused()  # the search box takes the focus
    p.keyboard.type(QUESTION)
    p.keyboard.press("Tab")
    expect(p.get_by_label("Date (facultative)")).to_be_focused()
    p.keyboard.press("Enter")  # submits from any field of the form
    expect(p.locator("article.card").first).to_be_visible()
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    shot(p, "ask-phone")
    context.close()


# -- Organisation ------------------------------------------------------------------------------------
def test_organisation_chart_is_drawn_with_clickable_nodes(page: Page, web: Web):
    page.goto(web.url + "/organisation")
    page.get_by_label("Date").fill("2014-01-01")
    page.get_by_role("button", name="Afficher").click()
    svg = page.locator("svg#orgchart")
    expect(svg).to_be_visible()
    expect(svg.locator("a.node.root")).to_contain_text("DCI")
    expect(svg.locator('a.node.unit[href$="/id/org/SDCSG"]')).to_have_count(1)
    expect(svg.locator('a.node.unit[href$="/id/org/SDCS"]')).to_have_count(0)  # the 2010 structure is gone
    expect(svg.locator("a.node.beneficiary", has_text="DGGN")).to_have_count(1)
    assert svg.locator("g.edge.mandate").count() >= 5
    shot(page, "organisation")
    # a unit with no acronym of its own is drawn by its name, not by its key
    expect(svg.locator('a.node.unit[href$="/id/org/SDCSG"]')).to_contain_text("sous-direction de la coopération")
    svg.locator('a.node.unit[href$="/id/org/SDCSG"]').click()
    expect(page).to_have_url(web.url + "/id/org/SDCSG")
    expect(page.get_by_role("navigation").first).to_be_visible()  # the resource page shares the layout
    shot(page, "resource")


def test_organisation_in_2011_has_the_older_structure(page: Page, web: Web):
    page.goto(web.url + "/organisation?at=2011-01-01")
    svg = page.locator("svg#orgchart")
    expect(svg.locator('a.node.unit[href$="/id/org/SDCS"]')).to_have_count(1)
    expect(svg.locator('a.node.unit[href$="/id/org/SDCSG"]')).to_have_count(0)


# -- SPARQL and ontology -------------------------------------------------------------------------------
def test_run_a_named_query_on_the_sparql_page(page: Page, web: Web):
    page.goto(web.url + "/query")
    page.get_by_role("button", name="Charger directorates").click()
    table = page.locator("table#results")
    expect(table.locator("thead th")).to_have_text(["?org", "?key", "?kind"])
    expect(table.locator("tbody tr").filter(has_text="SDCSG")).to_have_count(1)
    expect(page.locator("#count")).to_contain_text("ligne")
    shot(page, "sparql")
    page.get_by_label("Requête", exact=True).fill("DELETE WHERE { ?s ?p ?o }")
    page.get_by_role("button", name="Exécuter").click()
    expect(page.locator("#error")).to_contain_text("400")


def test_ontology_documentation(page: Page, web: Web):
    page.goto(web.url + "/ontology")
    expect(page.locator("#dci-Mandate h3")).to_contain_text("dci:Mandate")
    expect(page.locator("#shape")).to_contain_text("dcis:UnitLinkShape")
    expect(page.locator("#scheme")).to_contain_text("Rôles des mandats")
    shot(page, "ontology")
    page.goto(web.url + "/ontology?lang=en")
    expect(page.locator("#scheme")).to_contain_text("Mandate roles")


# -- agreements tracker -------------------------------------------------------------------------------
def test_filter_and_sort_the_tracker(page: Page, web: Web):
    page.goto(web.url + "/tracker")
    rows = page.locator("table#instruments tbody tr")
    total = rows.count()
    assert total > 5
    expect(page.locator("svg#status-chart g.bar")).not_to_have_count(0)
    shot(page, "tracker")
    page.get_by_label("Pays partenaire", exact=True).select_option("LB")
    page.get_by_role("button", name="Filtrer").click()
    expect(rows).not_to_have_count(total)
    for country in rows.locator("td:first-child").all_inner_texts():
        assert country.endswith("LB"), country
    bars = page.locator("svg#status-chart g.bar").all()
    chart_total = sum(int(b.get_attribute("data-count") or 0) for b in bars)
    assert chart_total == rows.count()  # the chart counts the rows shown
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_label("Signé, pas en vigueur depuis plus de (ans)", exact=True).fill("5")
    page.get_by_role("button", name="Filtrer").click()
    stalled = rows.count()
    assert 0 < stalled < total
    page.get_by_role("link", name="trier par Signé le").click()
    cells = page.locator("table#instruments tbody td:nth-child(5) time")
    signed = [cells.nth(k).get_attribute("datetime") for k in range(cells.count())]
    assert signed and signed == sorted(signed)
    assert all(not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in cells.all_inner_texts())  # "26 mai 2009"
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Signé le")


def test_country_table_shows_the_most_advanced_instrument(page: Page, web: Web):
    page.goto(web.url + "/tracker/countries")
    lebanon = page.locator('table#countries tr[data-country="LB"]')
    expect(lebanon).to_be_visible()
    expect(lebanon.locator("td").nth(1)).to_have_text("2")
    # the 1993 protocol (its publication decree is known), ahead of the 2010 agreement
    expect(lebanon.locator(".status")).to_have_text("publié au JORF")
    shot(page, "countries")


def test_open_an_instrument_timeline(page: Page, web: Web):
    page.goto(web.url + "/tracker?country=LB")
    page.get_by_role("link", name="Accord entre le Gouvernement de la République française").click()
    expect(page).to_have_url(web.url + "/tracker/LB-2010-01-21-agreement")
    events = page.locator("ol#timeline li")
    expect(events).not_to_have_count(0)
    expect(events.first).to_contain_text("en attente d'approbation parlementaire")
    expect(events.first).to_contain_text("enregistré par l'import du registre")
    expect(events.first).to_contain_text("sources : fichier de registre importé (agreements.csv)")
    expect(events.first.locator("a")).to_have_count(0)  # not a link to a file the server does not serve
    fields = page.locator("table.kv")
    expect(fields.locator("th")).to_contain_text(["Autorité partenaire", "Signé le", "Signé à", "Loi d'approbation"])
    expect(fields.locator("tr", has_text="Signé le")).to_contain_text("21 janvier 2010")
    expect(fields.locator("tr", has_text="Confidentialité")).to_contain_text("public")
    expect(fields.locator("tr", has_text="Certitude de la fiche")).to_contain_text("certain")  # a column, not a note
    expect(fields.locator("tr", has_text="Statut attesté le")).to_contain_text("9 juillet 2014")
    expect(fields.locator("tr", has_text="Instruments liés")).to_contain_text("complète LB-1993-10-14-protocol")
    expect(fields).to_contain_text("AN rapport 2116 du 9 juillet 2014")
    for source in fields.locator("a.url").all():  # every source shown as a link is a web address
        assert (source.get_attribute("href") or "").startswith(("http://", "https://"))
    shot(page, "instrument")


def test_record_a_transition_as_a_negotiator(page: Page, web: Web):
    url = web.url + "/tracker/LB-2010-01-21-agreement"
    page.goto(url)
    before = page.locator("ol#timeline li").count()
    # refused by the life-cycle: a clear message, nothing written
    page.get_by_label("Jeton").fill(web.tokens["negotiator"])
    page.get_by_label("Nouveau statut").select_option("planned")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#message.error")).to_contain_text("Changement refusé")
    expect(page.locator("#message.error")).to_contain_text(
        "le cycle de vie ne permet pas de passer de « en attente d'approbation parlementaire » à « envisagé »"
    )
    expect(page.locator("ol#timeline li")).to_have_count(before)
    shot(page, "transition-refused")
    # a reader's token is refused too
    page.get_by_label("Jeton").fill(web.tokens["reader"])
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#message.error")).to_contain_text("negotiator")
    # an allowed move, recorded with who and when
    page.get_by_label("Jeton").fill(web.tokens["negotiator"])
    allowed = page.locator("#status optgroup").first.locator("option").first
    target = allowed.get_attribute("value")
    label = allowed.inner_text()
    page.get_by_label("Nouveau statut").select_option(target)
    page.get_by_label("Date de l'événement").fill("2015-03-02")
    page.get_by_label("Note").fill("enregistré depuis la page")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#message.ok")).to_contain_text("web-negotiator")
    expect(page.locator("#message.ok")).to_contain_text(f"→ {label} (2 mars 2015, web-negotiator)")
    expect(page.locator("#current-status")).to_have_text(label)
    last = page.locator("ol#timeline li").last
    expect(page.locator("ol#timeline li")).to_have_count(before + 1)
    expect(last.locator("time")).to_have_text("2 mars 2015")
    expect(last.locator("time")).to_have_attribute("datetime", "2015-03-02")
    expect(last).to_contain_text("web-negotiator")
    expect(last).to_contain_text("enregistré depuis la page")
    shot(page, "transition-recorded")


# -- offline -------------------------------------------------------------------------------------------
def test_no_request_left_loopback(web: Web):
    """Runs after the page tests of this module: every URL the browser asked for was on 127.0.0.1."""
    assert web.requests, "the page tests recorded no request"
    outside = [u for u in web.requests if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
