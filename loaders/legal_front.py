"""The front matter of a legal text: the YAML block before the articles, checked, and the text's key.

`nor` is optional: a text without one is keyed, in the ELI pattern, by its kind and its date
(`arrete/2021/7/15`), the kind being the first word of its title unless `kind` is given.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from vocab.lexicon import fold

REQUIRED = ("title", "date_document", "in_force_from", "source")
DATES = ("date_document", "date_publication", "in_force_from", "in_force_to")
# `certainty`: of the text as held (its wording, its date); `in_force_certainty`: of its entry-into-force date
CERTAINTIES = ("certainty", "in_force_certainty")
LEVELS = ("certain", "probable", "uncertain")
_NOR = re.compile(r"[A-Z0-9]{6,20}")


class LegalTextError(ValueError):
    """The text cannot be loaded; the message names the file and line."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.reason = source, line, message


def read_meta(raw: str, source_name: str) -> dict:
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise LegalTextError(source_name, line, f"front matter is not valid YAML: {exc}") from exc
    except ValueError as exc:  # YAML reads 2019-02-30 as a date and fails on it
        raise LegalTextError(source_name, 1, f"front matter holds a date that is not an ISO date: {exc}") from exc
    if not isinstance(meta, dict):
        raise LegalTextError(source_name, 2, "front matter must be a mapping of keys to values")
    for key in REQUIRED:
        if key not in meta:
            raise LegalTextError(source_name, 1, f"front matter lacks the required key '{key}'")
    if meta.get("nor") and not _NOR.fullmatch(str(meta["nor"])):
        raise LegalTextError(source_name, 1, f"'nor' is not a NOR identifier: {meta['nor']!r}")
    for key in DATES:
        value = meta.get(key)
        if value is not None and not isinstance(value, dt.date):
            try:
                meta[key] = dt.date.fromisoformat(str(value))
            except ValueError:
                raise LegalTextError(source_name, 1, f"'{key}' is not an ISO date: {value!r}") from None
    start, stop = meta.get("in_force_from"), meta.get("in_force_to")
    if start and stop and stop < start:
        raise LegalTextError(source_name, 1, f"in_force_to {stop} is before in_force_from {start}")
    if "partial" in meta and not isinstance(meta["partial"], bool):
        raise LegalTextError(source_name, 1, f"'partial' must be true or false, not {meta['partial']!r}")
    for key in CERTAINTIES:
        if key in meta and meta[key] not in LEVELS:
            raise LegalTextError(source_name, 1, f"'{key}' must be one of {', '.join(LEVELS)}, not {meta[key]!r}")
    meta["key"] = str(meta["nor"]) if meta.get("nor") else eli_key(meta, source_name)
    return meta


def eli_key(meta: dict, source_name: str) -> str:
    """`kind/year/month/day`, the ELI pattern without a natural identifier."""
    kind = meta.get("kind") or str(meta["title"]).split(maxsplit=1)[0]
    slug = "-".join(re.findall(r"[a-z0-9]+", fold(str(kind)).lower()))
    if not slug:
        raise LegalTextError(source_name, 1, f"cannot tell the kind of text from {kind!r} (give 'kind' or 'nor')")
    day: dt.date = meta["date_document"]
    return f"{slug}/{day.year}/{day.month}/{day.day}"
