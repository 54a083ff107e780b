"""Dates and names as people write them on the pages (api/formats.py)."""

from __future__ import annotations

import datetime as dt

from api.formats import collated, date, dates_in


def test_dates_in_the_page_language() -> None:
    assert date("2013-08-12", "fr") == "12 août 2013"
    assert date(dt.date(2013, 8, 12), "en") == "12 August 2013"
    assert date("2010-09-01", "fr") == "1er septembre 2010"
    assert date("2021-07", "fr") == "juillet 2021"
    assert date("2015", "fr") == "2015"  # a year alone stays a year
    assert date(None, "fr") == "—"
    assert date("c. 2015", "en") == "c. 2015"  # not a date: shown as written


def test_iso_dates_inside_free_text() -> None:
    text = "AN rapport 2116 du 2014-07-09 ; complète le protocole du 1993-10-14"
    assert dates_in(text, "fr") == "AN rapport 2116 du 9 juillet 2014 ; complète le protocole du 14 octobre 1993"
    assert dates_in("LB-2010-01-21-agreement", "fr") == "LB-2010-01-21-agreement"


def test_names_in_collation_order() -> None:
    names = ["Émirats arabes unis", "Liban", "Arabie saoudite", "Zambie", "Égypte", "allemagne"]
    assert collated(names) == ["allemagne", "Arabie saoudite", "Égypte", "Émirats arabes unis", "Liban", "Zambie"]
