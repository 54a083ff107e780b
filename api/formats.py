"""How values are written on the pages in their language: dates as people write them (Babel's CLDR data:
"12 août 2013", "12 August 2013"), ISO dates inside free text likewise, and names in collation order
(the Unicode collation algorithm: "Émirats" with the E, not after "Z")."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from babel.dates import format_date, format_skeleton
from jinja2 import pass_context
from pyuca import Collator

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_ISO = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])")  # not inside an id (LB-2010-01-21-…)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
T = TypeVar("T")


def date(value: object, lang: str) -> str:
    """A date (a `date`, or an ISO `YYYY-MM-DD` / `YYYY-MM` / `YYYY` text) in the page's language; other
    text is returned as it is, and nothing as "—"."""
    if value is None or value == "":
        return "—"
    locale = LOCALES.get(lang, "fr_FR")
    if isinstance(value, dt.date):
        return _day(value, lang)
    text = str(value)
    try:
        return _day(dt.date.fromisoformat(text), lang)
    except ValueError:
        pass
    month = _YEAR_MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return format_skeleton("yMMMM", dt.date(int(month.group(1)), int(month.group(2)), 1), locale=locale)
    return text


def _day(day: dt.date, lang: str) -> str:
    shown = format_date(day, format="long", locale=LOCALES.get(lang, "fr_FR"))
    return "1er" + shown[1:] if lang == "fr" and day.day == 1 else shown  # "1er septembre 2010"


def dates_in(text: object, lang: str) -> str:
    """Free text with each ISO date it contains written in the page's language."""

    def one(m: re.Match) -> str:
        shown = date(m.group(0), lang)
        return shown if shown != m.group(0) else m.group(0)

    return _ISO.sub(one, str(text or ""))


def collated(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """Items sorted by `key` in Unicode collation order (accents and case second, as in a dictionary)."""
    collator = _collator()
    return sorted(items, key=lambda item: collator.sort_key(key(item)))


@pass_context
def _date_filter(ctx, value: object) -> str:
    return date(value, ctx.get("lang", "fr"))


@pass_context
def _dates_in_filter(ctx, value: object) -> str:
    return dates_in(value, ctx.get("lang", "fr"))


FILTERS = {"ldate": _date_filter, "ldates": _dates_in_filter}


def warm() -> None:
    """Read the collation table now (beside a server start), not on the first page."""
    _collator()


@functools.cache
def _collator() -> Collator:
    """Read once, on the first page that sorts names: the collation table takes about 0.3 s to read, which
    a server start (and /health) need not wait for."""
    return Collator()
