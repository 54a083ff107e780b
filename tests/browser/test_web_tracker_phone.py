"""The tracker on a phone (390 px) and on a desktop, in a real browser (the fixtures of tests/browser/test_web.py):
no page wider than the viewport (the filters fit, the rows stack), the chart's labels never over its bars,
and the pages of the register followed by their links."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_web import Web, shot
from tests.browser.test_web import browser as browser  # the fixtures of tests/browser/test_web.py
from tests.browser.test_web import web as web

OVERLAPS = """() => {
  const bars = [...document.querySelectorAll('#status-chart g.bar')];
  const labels = bars.map(g => g.querySelector('text.label').getBBox());
  const rects = bars.map(g => g.querySelector('rect').getBBox());
  let n = 0;
  for (const a of labels) for (const c of rects)
    if (a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height) n++;
  return [bars.length, n];
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_tracker_fits_the_screen_and_its_chart_is_readable(browser: Browser, web: Web, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path in ("/tracker", "/tracker?lang=en", "/tracker?country=LB", "/tracker/countries"):
            page.goto(web.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            if "countries" not in path:
                bars, overlaps = page.evaluate(OVERLAPS)
                assert bars > 0 and overlaps == 0, path
        shot(page, f"tracker-countries-{width}")
    finally:
        page.close()


def test_the_register_pages_by_its_links(browser: Browser, web: Web):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(web.url + "/tracker?limit=5&lang=fr")
        rows = page.locator("table#instruments tbody tr")
        expect(rows).to_have_count(5)
        first = rows.first.get_attribute("data-id")
        page.locator('nav.pager[data-where="top"] a[rel="next"]').click()
        expect(rows).to_have_count(5)
        assert rows.first.get_attribute("data-id") != first
        expect(page.locator('nav.pager[data-where="top"]')).to_contain_text("instruments 6 à 10 sur")
        page.locator('nav.pager[data-where="top"] a[rel="prev"]').click()
        assert rows.first.get_attribute("data-id") == first
        shot(page, "tracker-phone")
    finally:
        page.close()
