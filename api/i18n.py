"""The web pages' interface strings in French (default) and English, from one catalogue (api/messages.toml),
and how a request picks its language: `?lang=en|fr` first, then the `lang` cookie, else French."""

from __future__ import annotations

import tomllib
from pathlib import Path

from fastapi import Request

LANGS = ("fr", "en")
COOKIE = "lang"
CATALOGUE = Path(__file__).resolve().parent / "messages.toml"


def load_catalogue(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """The catalogue as {lang: {key: text}}; a message missing a language is an error, not a fallback."""
    with path.open("rb") as fh:
        table = tomllib.load(fh)
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for key, texts in table.items():
        missing = [lang for lang in LANGS if not isinstance(texts.get(lang), str)]
        if missing:
            raise ValueError(f"message {key!r} of {path.name} has no text in {', '.join(missing)}")
        for lang in LANGS:
            out[lang][key] = texts[lang]
    return out


MESSAGES: dict[str, dict[str, str]] = load_catalogue()


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in LANGS else "fr"


def translator(lang: str):
    table = MESSAGES[lang]

    def t(key: str, **values: object) -> str:
        text = table.get(key) or key
        return text.format(**values) if values else text

    return t
