"""`dci-kg ask` in text: the sections of an answer's case file (contract v2), in the question's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console

from vocab import citations


def _head(t: Callable[..., str], key: str, lang: str) -> str:
    return f"   {t(key)} : " if lang == "fr" else f"   {t(key)}: "


def _where(m: dict) -> str:
    return citations.provision(m["article"], m["letter"]) if m.get("article") else ""


def _bens(orgs: list[dict]) -> str:
    return ", ".join(o["acronym"] or o["label"] for o in orgs) or "—"


def print_case_file(
    out: Console, a: dict, t: Callable[..., str], lang: str, roles: dict[str, str], countries: Sequence[str] = ()
) -> None:
    """The also, handled_by, abroad, instruments and ambiguous_with sections of one answer (none when empty)."""
    for o in a.get("ambiguous_with", []):
        why = t(
            "card.ambiguous.why",
            this=_where(a["mandate"]),
            role=roles.get(a["role"], a["role"]),
            beneficiaries=_bens(a["beneficiaries"]),
            other=_where(o),
            other_role=roles.get(o["role"], o["role"]),
            other_beneficiaries=_bens(o["beneficiaries"]),
        )
        out.print(f"{_head(t, 'card.ambiguous', lang)}[magenta]{why}[/]", highlight=False)
    for x in a.get("also", []):
        where = f"{_where(x)} " if x.get("article") else ""
        out.print(f"{_head(t, 'card.also', lang)}{where}{x['legal_text']['title']} ({t('card.kind.' + x['kind'])})",
                  highlight=False)  # fmt: skip
    for h in a.get("handled_by", []):
        out.print(f"{_head(t, 'card.handled_by', lang)}{h['unit']['label']} — {_where(h['mandate'])}", highlight=False)
    for c in a.get("abroad", []):
        covers = t("card.abroad.covers", service=c["service"]["label"], country=c["country"]["label"])
        period = f"{c['valid_from'] or t('card.unknown')}–{c['valid_to'] or ''}"
        sources = f"{t('card.sources')} {', '.join(c['sources'])}"
        out.print(f"{_head(t, 'card.abroad', lang)}{covers} ({period}) — {sources}", highlight=False)
    for i in a.get("instruments", []):
        status = i["status"]["label"] or t("card.unknown")
        since = f" ({t('card.status_since', date=i['status']['since'])})" if i["status"]["since"] else ""
        out.print(f"{_head(t, 'card.instruments', lang)}{i['id']} — {t('card.status_at')} {status}{since}",
                  highlight=False)  # fmt: skip
    if a.get("instruments_total", 0) > len(a.get("instruments", [])):
        more = t("card.instruments_more", shown=len(a["instruments"]), total=a["instruments_total"])
        where = ", ".join(f"dci-kg agreements list --country {code}" for code in countries)
        out.print(f"{_head(t, 'card.instruments', lang)}{more} {where}", highlight=False)
