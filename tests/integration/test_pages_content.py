"""What the web pages show, over real HTTP on both backends: the API documentation from the app's own assets,
public sources only (no note about the repository's files), the ELI as a link, dates and country names as
people write them, names in French collation order, organisations by their name when they have no acronym."""

from __future__ import annotations

import re
from urllib.parse import quote

HTML = {"Accept": "text/html"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_api_documentation_needs_no_outside_host(api):
    c = api.client()
    for page in ("/docs", "/redoc"):
        r = c.get(page)
        assert r.status_code == 200
        scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', r.text)
        assert scripts and all(s.startswith("/") for s in scripts), scripts
        for asset in scripts:
            assert c.get(asset).status_code == 200, asset
    assert "img-src 'self'" in c.get("/redoc").headers["content-security-policy"]  # ReDoc's CDN logo is refused


def test_resource_pages_show_public_sources_only_and_one_language(api):
    c = api.client()
    dci = c.get("/id/org/DCI", headers=HTML).text
    assert "glossary.md" not in dci and "facts.md" not in dci and "editorialNote" not in dci
    assert "Created on 2010-09-01" not in dci  # the maintainers' English note
    assert "https://www.legifrance.gouv.fr/eli/arrete/2013/8/12/INTA1319065A/jo/texte" in dci  # a real source
    assert "international cooperation directorate" not in _text(dci)  # the English label, on the French page
    assert "1er septembre 2010" in _text(dci)
    en = _text(c.get("/id/org/DCI?lang=en", headers=HTML).text)
    assert "international cooperation directorate" in en and "1 September 2010" in en
    assert "Direction commune à la police" not in en  # the French definition, on the English page
    text = c.get("/id/text/INTA1319065A", headers=HTML).text
    assert "seed document" not in text and "003_" not in text
    eli = "https://www.legifrance.gouv.fr/eli/arrete/2013/8/12/INTA1319065A/jo/texte"
    assert f'<a href="{eli}" class="url">{eli}</a>' in text  # the ELI is a link


def test_instrument_page_speaks_french_and_links_only_to_what_exists(api):
    c = api.client()
    html = c.get("/tracker/AE-2009-05-26-agreement").text
    text = _text(html)
    for english in ("partner authority", "signed on", "approval law", "confidentiality", "fiche : high"):
        assert english not in text, english
    assert "Signé le 26 mai 2009" in text and "statut (recherche) : publié" in text
    assert 'href="register agreements.csv"' not in html
    for href in set(re.findall(r'href="([^"#][^"]*)"', html)):  # every link of the page leads somewhere
        assert href.startswith(("http://", "https://", "/")), href  # no relative link to a file
        if href.startswith(api.url) or href.startswith("/"):
            assert c.get(href.removeprefix(api.url)).status_code == 200, href


def test_countries_in_french_collation_with_the_names_people_write(api):
    html = api.client().get("/tracker/countries").text
    assert ">Russie</a>" in html and "Russie, Fédération de" not in html
    text = _text(html)
    names = ["Albanie", "Allemagne", "Arabie saoudite", "Bahreïn", "Émirats arabes unis", "Grèce", "Liban"]
    positions = [text.index(n) for n in names]
    assert positions == sorted(positions), "Émirats arabes unis sorts with the E, not after Z"


def test_an_organisation_without_an_acronym_is_shown_by_its_name(api):
    question = "Qui négocie les arrangements techniques pour la gendarmerie ?"
    html = api.client().get("/?q=" + quote(question) + "&at=2014-01-01").text
    assert ">FUNDERS<" not in html
    assert ">organismes concourant au financement des actions de coopération technique<" in html
    assert ">DGGN<" in html  # an acronym of its own is kept
