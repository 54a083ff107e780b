"""Register dates shown in the page's language (CLDR through Babel: "26 mai 2009", "May 26, 2009")."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date


@functools.lru_cache(maxsize=65536)
def local_date(iso: str | None, lang: str) -> str:
    """An ISO date (the register's `YYYY-MM-DD`) in `lang`'s medium format; "—" when unknown, the text itself
    when it is not a date."""
    if not iso:
        return "—"
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return format_date(day, format="medium", locale="fr_FR" if lang == "fr" else "en_GB")
