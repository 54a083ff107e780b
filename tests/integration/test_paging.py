"""Paging everywhere the register can grow: `GET /agreements` (limit/offset, the total, RFC 8288 `Link`),
`dci-kg agreements list`, and the tracker page (sorted and paged on the server, links keep the filters);
the tracker sorts partner countries by their French names and shows dates in the page's language."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.test_cli import run

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def many(api) -> list[str]:
    """Twelve public instruments with Oman (none in the bundled register): enough for pages of 5."""
    tag = uuid.uuid4().hex[:6]
    c = api.client("negotiator")
    ids = []
    for n in range(12):
        rid = f"TEST-PAGE-{tag}-{n:02d}"
        body = {"id": rid, "kind": "agreement", "title": f"Accord de pagination {n}", "partner_country": "OM",
                "status": "signed", "signed_on": f"20{10 + n}-01-15",
                "source": "https://example.org/paging"}  # fmt: skip
        r = c.post("/agreements", json=body)
        assert r.status_code == 201, r.text
        ids.append(rid)
    return ids


def links(header: str) -> dict[str, dict[str, list[str]]]:
    """rel -> the query of its URL."""
    out = {}
    for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header):
        out[rel] = parse_qs(urlsplit(url).query)
    return out


def test_a_page_with_its_total_and_links(api, many):
    r = api.client().get("/agreements", params={"country": "OM", "limit": 5, "offset": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 12 and body["limit"] == 5 and body["offset"] == 5
    assert [i["id"] for i in body["items"]] == many[5:10]  # by signature date within the country
    rel = links(r.headers["link"])
    assert set(rel) == {"first", "prev", "next", "last"}
    assert rel["next"]["offset"] == ["10"] and rel["prev"]["offset"] == ["0"] and rel["last"]["offset"] == ["10"]
    assert all(q["country"] == ["OM"] and q["limit"] == ["5"] for q in rel.values())  # the filters are kept


def test_following_next_walks_every_instrument_once(api, many):
    seen, url = [], "/agreements?country=OM&limit=5"
    c = api.client()
    while url:
        r = c.get(url)
        assert r.status_code == 200
        seen += [i["id"] for i in r.json()["items"]]
        nxt = re.search(r'<([^>]+)>; rel="next"', r.headers.get("link", ""))
        url = nxt.group(1) if nxt else None
    assert seen == many


def test_the_default_page_is_50_and_the_largest_500(api, many):
    r = api.client().get("/agreements")
    assert r.json()["limit"] == 50 and len(r.json()["items"]) == min(50, r.json()["total"])
    for bad in ({"limit": 501}, {"limit": 0}, {"offset": -1}):
        r = api.client().get("/agreements", params=bad)
        assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM), bad
    assert "link" not in api.client().get("/agreements", params={"country": "AE"}).headers  # one page: no links


def test_an_offset_past_the_end_is_an_empty_page_with_the_total(api, many):
    body = api.client().get("/agreements", params={"country": "OM", "offset": 40}).json()
    assert body["items"] == [] and body["total"] == 12


def test_the_cli_pages_the_same_way(tmp_path):
    """`dci-kg agreements list --limit --offset` on a store built by `dci-kg init`: a page of the same list."""
    import json

    store = tmp_path / "store"
    run("init", store=store)
    whole = json.loads(run("agreements", "list", "--limit", "500", "--json", store=store).stdout)
    page = json.loads(run("agreements", "list", "--limit", "4", "--offset", "3", "--json", store=store).stdout)
    assert page["items"] == whole["items"][3:7] and page["total"] == whole["total"] >= 19
    assert (page["limit"], page["offset"]) == (4, 3)
    shown = run("agreements", "list", "--limit", "4", store=store).stdout
    assert f"1-4 of {whole['total']} instrument(s) (--offset 4 for the next page)" in shown
    assert run("agreements", "list", "--limit", "501", store=store, check=False).returncode == 2


def tracker_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-id="([^"]+)">', html)


def test_the_tracker_pages_on_the_server_keeping_the_filters(api, many):
    c = api.client()
    seen, params = [], {"country": "OM", "sort": "signed_on", "desc": "true", "limit": "5"}
    url = "/tracker"
    while url:
        page = c.get(url, params=params)
        assert page.status_code == 200 and "12 instrument(s)" in page.text
        seen += tracker_ids(page.text)
        found = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url, params = (found.group(1).replace("&amp;", "&"), None) if found else (None, None)
        if url:
            q = parse_qs(urlsplit(url).query)
            assert (q["country"], q["sort"], q["desc"], q["limit"]) == (["OM"], ["signed_on"], ["true"], ["5"])
    assert seen == list(reversed(many))  # newest first, each once, over three pages
    assert "instruments 1 à 5 sur 12" in c.get("/tracker", params={"country": "OM", "limit": "5"}).text


def test_the_tracker_sorts_countries_by_their_french_names(api):
    html = api.client().get("/tracker", params={"lang": "fr"}).text
    names = re.findall(r'<tr data-id="[^"]+">\s*<td[^>]*>([^<]+)<span', html)
    firsts = list(dict.fromkeys(n.strip() for n in names))
    assert "Émirats arabes unis" in firsts
    e = firsts.index("Émirats arabes unis")
    assert all(n[0] not in "FGHIJKLMNOPQRSTUVWXYZ" for n in firsts[:e])  # among the E, not after the Z
    assert "Russie" in firsts and "Russie, Fédération de" not in html


def test_the_tracker_shows_dates_in_the_page_language(api):
    fr = api.client().get("/tracker", params={"country": "AE", "lang": "fr"}).text
    en = api.client().get("/tracker", params={"country": "AE", "lang": "en"}).text
    assert '<time datetime="2009-05-26">26 mai 2009</time>' in fr
    assert '<time datetime="2009-05-26">26 May 2009</time>' in en


def test_counts_per_status_and_kind_as_the_named_query_counts(api, many):
    from kg import queries
    from kg.services.agreements import reads

    for role, cleared in ((None, False), ("negotiator", True)):
        got = api.client(role).get("/agreements/counts").json()
        rows = api.store.select(queries.load("counts-by-status-kind").text, graphs=reads._visible(api.store, cleared))
        assert got == [{"status": str(r["status"]), "kind": str(r["kind"]), "count": int(r["count"])} for r in rows]
        assert {"status": "signed", "kind": "agreement"} in [{k: c[k] for k in ("status", "kind")} for c in got]
