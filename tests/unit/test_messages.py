"""The web pages' message catalogue (api/messages.toml): every message in both languages, with the same
`{placeholders}`, and a message missing a language refused at load time."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from api.i18n import CATALOGUE, LANGS, MESSAGES, load_catalogue, translator


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    assert set(MESSAGES["fr"]) == set(MESSAGES["en"])
    for key, fr in MESSAGES["fr"].items():
        assert _fields(fr) == _fields(MESSAGES["en"][key]), key


def test_a_message_missing_a_language_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "messages.toml"
    bad.write_text('["site"]\nfr = "Compétences"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"'site' of messages\.toml has no text in en"):
        load_catalogue(bad)


def test_the_translator_fills_placeholders_in_the_page_language() -> None:
    assert CATALOGUE.name == "messages.toml" and LANGS == ("fr", "en")
    assert translator("fr")("tr.count", n=3) == "3 instrument(s)"
    assert translator("en")("ask.results", at="12 August 2013") == "Answers on 12 August 2013"
