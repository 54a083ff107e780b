"""How a provision is cited: "art. 1 k)" for a lettered item, "art. 23 2°" for a numbered one, "art. 1" for a
whole article. One formatter, for the answers, the pages and the command line."""

from __future__ import annotations


def item(letter: str | None) -> str:
    """The item's own mark: "k)" for a letter, "2°" as it is for a number, "" for none."""
    if not letter:
        return ""
    return letter if letter.endswith("°") else f"{letter})"


def provision(article: str | None, letter: str | None = None) -> str:
    """The citation of an article or of one of its items ("" when there is no article)."""
    if not article:
        return ""
    mark = item(letter)
    return f"art. {article} {mark}" if mark else f"art. {article}"
