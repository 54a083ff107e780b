"""An answer card as data: the mandate, its text and its successor, holder, beneficiaries, partners, the
explanation sentence in the question's language."""

from __future__ import annotations

import datetime as dt

from kg.services.competence.index import Exclusion, Index, Mandate, Org, Scored
from vocab import citations


def _label(index: Index, topic: str, lang: str) -> str:
    labels = index.topic_labels.get(topic, {})
    return labels.get(lang) or labels.get("fr") or topic.rsplit("/", 1)[-1]


def _org_list(index: Index, iris: list[str], lang: str, at: dt.date) -> list[dict]:
    return [index.org_json(i, lang, at) for i in iris]


def _mandate_json(index: Index, m: Mandate, at: dt.date) -> dict:
    return {
        "iri": m.iri,
        "article": m.article,
        "letter": m.letter,
        "text": m.text,
        "legal_text": index.legal_text(m, at),
    }


def answer_card(index: Index, s: Scored, lang: str, at: dt.date) -> dict:
    m = s.mandate
    topics = [
        _label(index, t, lang)
        for t in sorted(s.topics, key=lambda t: (-len(_label(index, t, lang)), _label(index, t, lang)))
    ]
    return {
        "rank": 0,
        "score": s.score,
        "role": m.role,
        "mandate": _mandate_json(index, m, at),
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": _org_list(index, m.beneficiaries, lang, at),
        "partners": _org_list(index, m.partners, lang, at),
        "topics": topics,
        "explanation": _explain(m, topics, s.reasons, lang),
        "reserved_to": None,
    }


def _where(m: Mandate) -> str:
    if m.article is None:
        return m.basis["title"]
    ref = m.basis["nor"] or m.basis["title"]
    return f"{citations.provision(m.article, m.letter)} ({ref})"


def _explain(m: Mandate, topics: list[str], orgs: list[str], lang: str) -> str:
    what = ", ".join(topics[:4]) or "—"
    who = f"; {'organisations citées' if lang == 'fr' else 'organisations named'} : {', '.join(orgs)}" if orgs else ""
    if lang == "fr":
        return f"{_where(m)} couvre : {what}{who}"
    return f"{_where(m)} covers: {what}{who}".replace(" : ", ": ")


def excluded_card(
    index: Index, ex: Exclusion, in_force: list[Mandate], lang: str, q_topics: set[str], at: dt.date
) -> dict:
    m = next(x for x in in_force if x.iri == ex.mandate)
    reserved = sorted(ex.reserved_to)
    body = index.orgs.get(reserved[0], Org(reserved[0], "", reserved[0]))
    topics = [_label(index, t, lang) for t in sorted(q_topics & ex.topics)]
    if lang == "fr":
        why = f"non compétent — réservé à : {body.label} ({ex.text}, {_where(m)})"
    else:
        why = f"not competent — reserved to: {body.label_en or body.label} ({ex.text}, {_where(m)})"
    return {
        "rank": 0,
        "score": 1.0,
        "role": "excluded",
        "mandate": {**_mandate_json(index, m, at), "letter": None},
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": [],
        "partners": [],
        "topics": topics,
        "explanation": why,
        "reserved_to": index.org_json(body.iri, lang, at),
    }
