"""Every page of the navigation, and a sample of instrument, resource and organisation pages, in French and in
English, at 1280 and 390 px wide (the fixtures of tests/browser/test_web.py): each page answers, asks nothing
of a host other than 127.0.0.1, is no wider than the window, and shows no word of the other language. Text in
an element marked with another `lang` (an agreement's French title on an English page) is data in its own
language, not an interface label, and is left out of the language check. Screenshots go to
tests/output/screenshots/pages/."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_web import QUESTION, SCREENSHOTS, Web
from tests.browser.test_web import browser as browser  # the fixtures of tests/browser/test_web.py
from tests.browser.test_web import web as web

NAVIGATION = ["/", "/organisation", "/tracker", "/tracker/countries", "/query", "/ontology", "/docs", "/redoc"]
SAMPLE = [
    "/?q=" + quote(QUESTION) + "&at=2014-01-01",
    "/organisation?at=2011-01-01",
    "/tracker/LB-2010-01-21-agreement",
    "/tracker/AE-2009-05-26-agreement",
    "/tracker/RU-2003-02-10-agreement",
    "/id/org/DCI",
    "/id/org/FUNDERS",
    "/id/org/SDCSG",
    "/id/text/INTA1319065A",
    "/id/instrument/LB-2010-01-21-agreement",
]
# the API documentation is Swagger UI and ReDoc: English software describing an English API
ENGLISH_ONLY = {"/docs", "/redoc"}
# the raw resource page of an instrument shows the register's free text (note, authority, approval law) as the
# data holds it: French, with no language tag to mark it (the instrument's own page, /tracker/…, marks it)
UNTAGGED_FRENCH = {"/id/instrument/LB-2010-01-21-agreement"}

# interface words of one language that must not show on the other language's pages
SENTINELS = {
    "en": [  # shown on a French page, these are English
        "partner authority", "signed on", "signed at", "approval law", "approved on", "in force on", "ended on",
        "confidentiality", "negotiator", "published", "high", "medium", "unknown", "the", "and", "which", "register",
        "directorate", "Timeline", "Record", "Properties", "Referenced by", "Created on", "facts.md",
        "glossary.md", "seed document", "January", "February", "March", "April", "June", "July", "August",
        "September", "October", "November", "December",
    ],
    "fr": [  # shown on an English page, these are French
        "Chronologie", "Fiche", "Enregistrer", "Retour au tableau", "Propriétés", "Référencé par",
        "Autres formats", "Afficher", "Chercher", "Titulaire", "Au profit de", "en vigueur", "certitude",
        "Rattachement", "Sous-directions", "Pays partenaire", "Jeton", "Thème", "direction", "ministère",
        "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre", "publié", "inconnu",
    ],
}  # fmt: skip
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")  # not inside an id such as LB-2010-01-21-agreement
# the page's own-language text: a copy of the body without the elements marked with another language
OWN_TEXT = """lang => { const b = document.body.cloneNode(true);
  b.querySelectorAll('[lang]').forEach(e => { if (e.getAttribute('lang') !== lang) e.remove(); });
  b.querySelectorAll('script, style, textarea, code, pre, title').forEach(e => e.remove());
  document.documentElement.appendChild(b); const text = b.innerText; b.remove(); return text; }"""
WIDTHS = (1280, 390)


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path.split("?q=")[0] + ("-ask" if "?q=" in path else "")).strip("-") or "home"


def sentinel_hits(text: str, lang: str) -> list[str]:
    """The other language's sentinel words found in `text` (whole words), and ISO dates."""
    other = "en" if lang == "fr" else "fr"
    text = re.sub(r"https?://\S+", " ", text)  # a web address is in no language
    hits = [w for w in SENTINELS[other] if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    return hits + ISO_DATE.findall(text)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", NAVIGATION + SAMPLE)
def test_page_is_offline_fits_the_width_and_speaks_one_language(
    browser: Browser, web: Web, path: str, lang: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        url = web.url + path + ("&" if "?" in path else "?") + f"lang={lang}"
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        if path == "/docs":
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("dci-kg")
        elif path == "/redoc":
            expect(page.locator(".api-info h1, [role=navigation]").first).to_be_visible()
        else:
            expect(page.locator("html")).to_have_attribute("lang", lang)
        SCREENSHOTS.joinpath("pages").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "pages" / f"{_slug(path)}-{lang}-{width}.png"), full_page=True)
        assert outside == [], f"{path}: requests left 127.0.0.1: {outside}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} ({lang}) is {scroll}px wide in a {width}px window"
        if path not in ENGLISH_ONLY and not (lang == "en" and path in UNTAGGED_FRENCH):
            hits = sentinel_hits(page.evaluate(OWN_TEXT, lang), lang)
            assert hits == [], f"{path} ({lang}) shows words of the other language or ISO dates: {hits}"
    finally:
        context.close()


def test_the_sentinel_check_sees_what_it_should() -> None:
    """The check itself: an English label on a French page, a French one on an English page, an ISO date."""
    assert sentinel_hits("signé le 12 août 2013 · signed on", "fr") == ["signed on"]
    assert sentinel_hits("Signed on 12 August 2013 · Chronologie", "en") == ["Chronologie"]
    assert sentinel_hits("signé le 2013-08-12", "fr") == ["2013-08-12"]
    assert sentinel_hits("LB-2010-01-21-agreement", "fr") == []
    assert sentinel_hits("source https://example.org/the-directorate-and-the-unit", "fr") == []


def test_the_status_chart_labels_do_not_overlap_its_bars(browser: Browser, web: Web) -> None:
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
        page = context.new_page()
        page.goto(web.url + "/tracker?lang=fr")
        bars = page.locator("svg#status-chart g.bar")
        assert bars.count() > 2
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('svg#status-chart g.bar')].map(g => {
                 const r = g.querySelector('rect').getBoundingClientRect();
                 return [...g.querySelectorAll('text')].map(t => t.getBoundingClientRect())
                   .map(t => [t.left, t.top, t.right, t.bottom, r.left, r.top, r.right, r.bottom]); })"""
        )
        every_rect = [b[4:] for group in boxes for b in group]
        for group in boxes:
            for tl, tt, tr, tb, *_ in group:
                for rl, rt, rr, rb in every_rect:
                    overlap = min(tr, rr) - max(tl, rl) > 0.5 and min(tb, rb) - max(tt, rt) > 0.5
                    assert not overlap, f"a label of the status chart runs over a bar at {width}px"
        context.close()


def test_the_organisation_is_readable_on_a_phone(browser: Browser, web: Web) -> None:
    """At 390 px the ministry, the directorate and its units are listed first; the chart scrolls in its frame
    at a size that can be read."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(web.url + "/organisation?at=2014-01-01&lang=fr")
    glance = page.locator("section.org-glance")
    expect(glance).to_be_visible()
    expect(glance.get_by_role("link", name="ministère de l'intérieur")).to_be_in_viewport()
    expect(glance.get_by_role("link", name="direction de la coopération internationale")).to_be_in_viewport()
    units = glance.locator("li.root ul li a")
    assert units.count() >= 4
    expect(units.filter(has_text="sous-direction de la coopération de sécurité et de gouvernance")).to_be_visible()
    frame = page.locator("figure.chart")
    scroll, client = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert scroll > client, "the chart scrolls inside its frame"
    svg_width = page.locator("svg#orgchart").evaluate("s => s.getBoundingClientRect().width")
    assert svg_width >= 900, f"the chart is drawn {svg_width}px wide: too small to read"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.joinpath("pages").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "pages" / "organisation-phone-glance.png"))
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    page.goto(web.url + "/organisation?at=2014-01-01&lang=fr")
    expect(page.locator("section.org-glance")).to_be_hidden()  # the chart alone on a wide screen
    wide.close()
