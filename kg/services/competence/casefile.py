"""One answer = one case file: the ranked provisions that found a competence (the lettered or numbered items of
the texts in force), each with what legal staff look at next: `also` (the chapeau, the general décret, the
embassy page covering the same case), `handled_by` (the unit of the directorate whose article covers it),
`abroad` (the service covering a country the question names, with its source), `instruments` (the
agreements with that country whose topics match) and `ambiguous_with` (an item scoring within the margin).

Assembly only: the scores are the ranker's (scoring.py); nothing here changes them."""

from __future__ import annotations

import datetime as dt
import heapq

from kg.services.competence.answer import _mandate_json, answer_card
from kg.services.competence.casedata import period_covers
from kg.services.competence.index import Index, Mandate, Scored
from kg.services.competence.instruments import Candidate, CountryInstruments, InstrumentLookup, entry
from vocab.lexicon import Token


def kind_of(m: Mandate, live_texts: set[str]) -> str:
    """item (founds a competence), chapeau, general (a text detailed by one in force), descriptive (a page)."""
    if not m.normative:
        return "descriptive"
    if m.detailed_by & live_texts:
        return "general"
    return "item" if m.letter is not None else "chapeau"


def _kinds(index: Index, scored: list[Scored], at: dt.date) -> dict[str, str]:
    """Each scored mandate's kind; "unit" for one held by a unit (on `at`) of the holder of another."""
    live_texts = {m.basis["iri"] for m in index.mandates if index.applicable(m, at)}
    kinds = {s.mandate.iri: kind_of(s.mandate, live_texts) for s in scored}
    holders = {s.mandate.holder for s in scored if kinds[s.mandate.iri] in ("item", "chapeau")}
    units = {u for h in holders for u in index.casedata.units_of(h, at)}
    for s in scored:
        if s.mandate.holder in units and s.mandate.normative:
            kinds[s.mandate.iri] = "unit"
    return kinds


def countries_named(index: Index, question: str, tokens: list[Token] | None = None) -> list[str]:
    """The countries a question names (their French or English names or demonyms in the store)."""
    found = {c for match in index.casedata.countries.find(question, tokens) for c in match.payloads}
    return sorted(found)


def assemble(
    index: Index,
    scored: list[Scored],
    first: dict | None,
    lang: str,
    at: dt.date,
    limit: int,
    question: str,
    tokens: list[Token],
    instruments: InstrumentLookup | None = None,
    named_kinds: set[str] | frozenset[str] = frozenset(),
    named_texts: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[dict], list[dict], list[dict]]:
    """The answers: `first` (the exclusion card, if any), then the provisions founding a competence, each
    with its case file; what is known abroad for the countries named (shown even when no provision answers);
    and the countries named. `scored` is the ranker's list, best first."""
    kinds = _kinds(index, scored, at)
    items = [s for s in scored if kinds[s.mandate.iri] == "item"]
    primary: list[Scored] = []
    also: dict[str, list[Scored]] = {}
    for s in scored:
        kind = kinds[s.mandate.iri]
        named = s.mandate.text_kind in named_kinds or not _cited(s, named_texts)
        if kind == "item" or (kind == "general" and named):
            primary.append(s)
        elif kind == "unit" and items:
            continue  # shown in the handled_by of the item its directorate holds
        elif (host := _host(index, s, items)) is not None:
            also.setdefault(host.mandate.iri, []).append(s)
        else:
            primary.append(s)  # no item covers its case: it founds the answer itself
    # the provisions of a text the question cites (by its number or NOR) come first, then those of the one kind
    # of text it names ("quel point du décret")
    kind = next(iter(named_kinds)) if len(named_kinds) == 1 else None
    primary.sort(
        key=lambda s: (
            _cited(s, named_texts),
            kind is not None and s.mandate.text_kind != kind,
            -s.score,
            s.mandate.role_rank,
            s.mandate.iri,
        )
    )

    countries = countries_named(index, question, tokens)
    abroad = [c for country in countries for c in _abroad(index, country, lang, at)]
    found = {country: instruments(country) for country in countries} if instruments else {}
    answers = [first] if first is not None else []
    score = {x.mandate.iri: x.score for x in scored}
    shown = primary[: max(limit - len(answers), 0)]
    contenders = _contenders([s for s in shown if kinds[s.mandate.iri] == "item"], index.casedata.margin)
    for s in shown:
        card = answer_card(index, s, lang, at)
        card["kind"] = kinds[s.mandate.iri]
        card["also"] = [_also(index, x, kinds[x.mandate.iri], at) for x in also.get(s.mandate.iri, [])]
        card["handled_by"] = _handled_by(index, s, score, at, lang)
        card["abroad"] = abroad
        card["instruments"], card["instruments_total"] = _matching(index, s, [found[c] for c in found], at, lang)
        card["ambiguous_with"] = [_ref(index, o, at, lang) for o in contenders if o is not s] if s in contenders else []
        answers.append(card)
    if first is not None:
        first.update(kind="exclusion", also=[], handled_by=[], abroad=abroad, instruments=[], instruments_total=0,
                     ambiguous_with=[])
    for rank, a in enumerate(answers, start=1):
        a["rank"] = rank
    return answers, abroad, [_country(index, c, lang) for c in countries]


def _cited(s: Scored, named_texts: set[str] | frozenset[str]) -> bool:
    """False for a provision of a text the question cites: sorted first."""
    return s.mandate.basis["iri"] not in named_texts


def _contenders(items: list[Scored], margin: float) -> list[Scored]:
    """The items scoring within `margin` (a share of the best item's score) of the best one, when more than one
    does: the ranking cannot tell them apart, so the card says that each applies."""
    if not items or items[0].score <= 0:
        return []
    close = [s for s in items if items[0].score - s.score <= margin * items[0].score]
    return close if len(close) > 1 else []


def _reach(index: Index, topics: set[str] | list[str]) -> set[str]:
    """Topics with their ancestors, top concepts aside (too general to say two provisions share a case)."""
    out: set[str] = set()
    for t in topics:
        out |= _topic_reach(index, t)
    return out


def _topic_reach(index: Index, topic: str) -> frozenset[str]:
    cache = index.casedata.reach_cache  # per index (one store generation): the thesaurus does not change
    found = cache.get(topic)
    if found is None:
        ancestors = index.ancestors(topic).items()
        found = cache[topic] = frozenset(a for a, depth in ancestors if depth == 0 or index.broader.get(a))
    return found


def _host(index: Index, s: Scored, items: list[Scored]) -> Scored | None:
    """The best-ranked item covering the case `s` covers: one that matched a topic of the question `s` matched."""
    mine = _reach(index, s.topics)
    for item in items:
        if mine & _reach(index, item.topics):
            return item
    return None


def _also(index: Index, s: Scored, kind: str, at: dt.date) -> dict:
    return {"kind": kind, "score": s.score, "role": s.mandate.role, **_mandate_json(index, s.mandate, at)}


def _ref(index: Index, s: Scored, at: dt.date, lang: str) -> dict:
    m = s.mandate
    return {
        "iri": m.iri,
        "article": m.article,
        "letter": m.letter,
        "score": s.score,
        "role": m.role,
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": [index.org_json(b, lang, at) for b in m.beneficiaries],
    }


def _handled_by(index: Index, s: Scored, score: dict[str, float], at: dt.date, lang: str) -> list[dict]:
    """The mandates of the unit of the answer's holder (dated unit links) whose article covers the case: the
    cooperation types they share (with their broader types) first, then the topics, then the ranker's score."""
    candidates = _unit_mandates(index, s.mandate.holder, at)
    if not candidates:
        return []
    types = index.casedata.with_broader(s.mandate.cooperation_types)
    topics = _reach(index, s.mandate.topics | set(s.topics))
    ranked = []
    for m, their_types, their_topics in candidates:
        key = (len(types & their_types), len(topics & their_topics), score.get(m.iri, 0.0))
        if any(key):
            ranked.append((key, m))
    if not ranked:
        return []
    ranked.sort(key=lambda km: (tuple(-k for k in km[0]), km[1].iri))
    best_key, best = ranked[0]
    return [
        {"unit": index.org_json(m.holder, lang, at), "role": m.role, "mandate": _mandate_json(index, m, at)}
        for key, m in ranked
        if m.holder == best.holder and key[:2] == best_key[:2]
    ]


def _unit_mandates(index: Index, holder: str, at: dt.date) -> list[tuple[Mandate, set[str], set[str]]]:
    """The mandates of `holder`'s units applicable on `at`, with their cooperation types and topics (kept per
    index and date: neither changes within a store generation)."""
    cache = index.casedata.unit_mandates_cache
    found = cache.get((holder, at))
    if found is None:
        units = set(index.casedata.units_of(holder, at))
        found = [
            (m, index.casedata.with_broader(m.cooperation_types), _reach(index, m.topics))
            for m in index.mandates
            if m.holder in units and index.applicable(m, at)
        ]
        if len(cache) > 10_000:  # one entry per (holder, date asked): bounded
            cache.clear()
        cache[holder, at] = found
    return found


def _abroad(index: Index, country: str, lang: str, at: dt.date) -> list[dict]:
    data = index.casedata
    return [
        {
            "country": _country(index, country, lang),
            "service": index.org_json(c.service, lang, at),
            "coverage": c.iri,
            "label": c.labels.get(lang) or c.labels.get("fr") or "",
            "valid_from": c.start,
            "valid_to": c.end,
            "certainty": c.certainty,
            "sources": sorted(c.sources),
        }
        for c in data.coverage.get(country, [])
        if period_covers(c.start, c.end, at)
    ]


def _country(index: Index, country: str, lang: str) -> dict:
    labels = index.casedata.country_labels.get(country, {})
    code = index.casedata.country_codes.get(country, "")
    return {"iri": country, "code": code, "label": labels.get(lang) or labels.get("fr") or code}


def _matching(
    index: Index, s: Scored, lists: list[CountryInstruments], at: dt.date, lang: str
) -> tuple[list[dict], int]:
    """The instruments matching an answer on `at`, the latest dated status first, and how many match: one of
    their topics is a topic of the answer's provision (or of the question's topics it matched), an ancestor or
    a descendant of one. A country may have hundreds: each of its topics is tested once (on reaches computed
    once), and only the `instruments_shown` listed become dictionaries."""
    own = frozenset(s.mandate.topics | set(s.topics))
    mine = _reach(index, own)
    day = at.isoformat()
    found: list[tuple[str, Candidate]] = []
    for country in lists:
        hit: set[int] = set()
        for t, positions in country.by_topic.items():
            if t in mine or _topic_reach(index, t) & own:
                hit.update(positions)
        for k in sorted(hit):  # id order
            c = country.members[k]
            status = c.status_at(day)
            if status is not None:  # None: not yet signed on `at`
                found.append((status[1] or "", c))
    # nlargest is sorted(reverse=True)[:n], stable: equal days keep the id order
    shown = heapq.nlargest(index.casedata.instruments_shown, found, key=lambda x: x[0])
    return [e for _, c in shown if (e := entry(index, c, at, lang)) is not None], len(found)
