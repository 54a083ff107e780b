"""The query page in a real browser (the fixtures of tests/browser/test_web.py): the named queries with their
fields, a syntax error shown where it is, /sparql opened in a browser, one language at a time, a 390 px phone
without sideways scrolling (the editor and the results scroll in their own box), nothing fetched off 127.0.0.1."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route, expect

from kg.queries.catalogue import catalogue
from tests.browser.test_web import Web, shot
from tests.browser.test_web import browser as browser  # the fixtures of tests/browser/test_web.py
from tests.browser.test_web import page as page
from tests.browser.test_web import web as web

BAD = "PREFIX dci: <https://w3id.org/dci-kg/ontology#>\nSELECT ?id WHERE {\n  ?instrument dci:key ?id ;\n" \
      "      dci:signedOn ?signed ;\n      dci:status ?status ?extra .\n}"  # fmt: skip


def local_only(web: Web) -> None:
    outside = [u for u in web.requests if not u.startswith(("data:", "blob:")) and urlsplit(u).hostname != "127.0.0.1"]
    assert not outside, outside


def test_the_negotiator_queries_load_with_their_fields_and_run(page: Page, web: Web):
    page.goto(web.url + "/query")
    item = page.locator("#named-term-ending")
    expect(item.locator("h3")).to_have_text("Échéances prochaines")
    expect(item.get_by_label("Date de référence")).to_have_attribute("type", "date")
    for name in ("signed-not-in-force", "pending-approval", "covered-without-agreement", "status-by-country"):
        expect(page.locator(f"#named-{name}")).to_have_count(1)
    signed = page.locator("#named-signed-not-in-force")
    signed.get_by_label("Signés avant le").fill("2015-06-01")
    signed.get_by_label("Date de référence").fill("2025-06-01")
    signed.get_by_role("button", name="Charger signed-not-in-force").click()
    expect(page).to_have_url(re.compile(r"/query\?name=signed-not-in-force&cutoff=2015-06-01&today=2025-06-01$"))
    table = page.locator("table#results")
    expect(table.locator("thead th").first).to_have_text("?id")
    assert table.locator("tbody tr").count() >= 1
    assert "VALUES (?cutoff ?today)" in page.get_by_label("Requête", exact=True).input_value()
    expect(page.locator("#named-signed-not-in-force").get_by_label("Signés avant le")).to_have_value("2015-06-01")
    shot(page, "query-named")
    local_only(web)


def test_a_bad_field_value_is_refused_in_french(page: Page, web: Web):
    page.goto(web.url + "/query?name=term-ending&today=2023-01-15&months=douze")
    expect(page.locator("#error")).to_contain_text("Valeur refusée pour ?months : ce n'est pas un nombre entier")
    expect(page.locator("table#results tbody tr")).to_have_count(0)


def test_a_syntax_error_is_shown_and_the_caret_put_where_it_is(page: Page, web: Web):
    page.goto(web.url + "/query")
    editor = page.get_by_label("Requête", exact=True)
    editor.fill(BAD)
    page.get_by_role("button", name="Exécuter").click()
    expect(page.locator("#error")).to_contain_text("ligne 5, colonne 26")
    expect(page.locator("#error")).to_contain_text("?extra")
    assert editor.evaluate("e => e.value.slice(e.selectionStart, e.selectionStart + 6)") == "?extra"
    shot(page, "query-error")


def test_a_browser_opening_sparql_gets_the_page_and_a_table_without_javascript(browser: Browser, web: Web):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    p = context.new_page()
    p.goto(web.url + "/sparql")
    expect(p).to_have_url(web.url + "/query")
    p.get_by_label("Requête", exact=True).fill(
        "PREFIX dci: <https://w3id.org/dci-kg/ontology#> SELECT ?key WHERE { ?o a dci:Directorate ; dci:key ?key }"
    )
    p.get_by_role("button", name="Exécuter").click()  # the form posts to /sparql; the server answers a page
    expect(p).to_have_url(web.url + "/sparql")
    expect(p.locator("table#results tbody td", has_text="DAEI")).to_have_count(1)
    context.close()


def test_the_english_page_is_in_english(page: Page, web: Web):
    page.goto(web.url + "/query?lang=en")
    text = page.locator("main").inner_text()
    for entry in catalogue().offered:
        assert entry.description("en") in text and entry.description("fr") not in text
    expect(page.locator("#named-term-ending").get_by_label("Reference date")).to_be_visible()
    expect(page.get_by_role("button", name="Run")).to_be_visible()


def test_the_page_fits_a_phone_and_the_results_scroll_in_their_box(browser: Browser, web: Web):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="fr-FR")

    def guard(route: Route) -> None:
        web.requests.append(route.request.url)
        route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.goto(web.url + "/query?name=status-by-country")
    expect(p.locator("table#results tbody tr").first).to_be_visible()
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    box = p.locator("#results-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the wide table scrolls in its own box
    assert p.get_by_label("Requête", exact=True).evaluate("e => e.getBoundingClientRect().right") <= 390
    shot(p, "query-phone")
    context.close()
    local_only(web)


def test_a_page_of_another_origin_queries_sparql_through_cors(browser: Browser, web: Web):
    """A page served from http://localhost (another origin than http://127.0.0.1) posts an
    application/sparql-query: Chromium sends the preflight, then reads the answer; a write route stays closed."""
    port = urlsplit(web.url).port
    context = browser.new_context()
    p = context.new_page()
    p.goto(f"http://localhost:{port}/health")
    script = """async ([url, query]) => {
        const r = await fetch(url + "/sparql", {method: "POST", body: query,
            headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
        return [r.status, (await r.json()).boolean, r.headers.get("DCIKG-Row-Cap")];
    }"""
    status, answer, cap = p.evaluate(script, [web.url, "ASK { ?s ?p ?o }"])
    assert (status, answer) == (200, True) and cap  # the exposed header is readable
    blocked = p.evaluate(
        """async (url) => { try { await fetch(url + "/agreements", {method: "POST", body: "{}",
            headers: {"Content-Type": "application/json"}}); return "read"; } catch (e) { return "blocked"; } }""",
        web.url,
    )
    assert blocked == "blocked"
    context.close()
