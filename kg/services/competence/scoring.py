"""Scoring: how well each mandate in force on the date covers the topics (the domain facet), the activities
(the activity facet) and organisations a question mentions (weighted by rarity), the provisions of a kind of
text the question names first, the exclusion clause first when it applies."""

from __future__ import annotations

import datetime as dt
import math

from kg.services.competence.answer import excluded_card
from kg.services.competence.casefile import InstrumentLookup, assemble
from kg.services.competence.index import Exclusion, Index, Mandate, Org, Scored
from vocab.lexicon import tokenize

BODY_WEIGHT = 0.6


ORG_WEIGHT = 1.2


# an organisation named in the question that holds the mandate (an attaché, a sub-directorate)
HOLDER_WEIGHT = 0.6


# a mission described by a non-normative source (an embassy page) yields to the text that founds it
DESCRIPTIVE_WEIGHT = 0.8


# the activity facet: what the question says is being done, as the mandate's text names it (added to the
# domain facet; 0.5 chosen on dev + validation aggregates against 0, 1.0, 1.5, gated and multiplicative forms)
ACTIVITY_WEIGHT = 0.5


# a question that names a kind of text (the décret, the arrêté) asks for the provisions of texts of that kind,
# and the general text it names does not yield to the one detailing it (1.6 chosen on dev + validation
# aggregates against 1.0, 1.3, 2.0)
NAMED_KIND_WEIGHT = 1.6


# a general provision yields to the text in force that details it (lex specialis)
GENERAL_TEXT_WEIGHT = 0.85


# the topic that is an activity as a field ("financée" names funding as a field too), found through the
# activity word only: the word already counts once as the activity (0.5 chosen on the tuned-on sets and the
# validation aggregate against 0 and 1.0)
ACTIVITY_TOPIC_WEIGHT = 0.5


# the activity facet counts at this factor for a mandate that matches none of the question's domain topics
# (those not naming a body) while another mandate does: what is done does not outweigh what it is about
# (0.5 chosen against 0 and 1.0)
ACTIVITY_GATE = 0.5


# a case the question denies ("aucune autre direction n'est autorité responsable", "no other directorate is the
# responsible or delegated authority"): a topic named at most this many content words (function words aside)
# after a negation word of its own clause
NEGATION_WINDOW = 4


# a label of two unrelated concepts (neither broader than the other, no broader concept in common: "French
# expertise", the experts the ministry sends and the promotion of French expertise) names one of them, not
# both: each counts at this share
SHARED_LABEL_WEIGHT = 0.5
CLAUSE_BOUNDARIES = frozenset({",", ";", ":", "."})


def language_of(index: Index, question: str, tokens=None, content=None) -> str:
    """The language of the thesaurus labels and function words the question uses (French when undecided)."""
    tokens = tokens if tokens is not None else tokenize(question)
    votes = [lang for m in index.language_lexicon.find(question, tokens, content) for lang in m.payloads]
    votes += [lang for t in tokens if (lang := index.word_languages.get(t.norm))]
    return "en" if votes.count("en") > votes.count("fr") else "fr"


def resolve(
    index: Index,
    question: str,
    at: dt.date,
    limit: int = 5,
    lang: str | None = None,
    instruments: InstrumentLookup | None = None,
) -> dict:
    """The answer of `dci-kg ask --json` and `GET /competence`, in `lang` (a web page's language), else in
    the question's language; `instruments` finds a named country's instruments the caller may see."""
    tokens = tokenize(question)
    content = index.topic_lexicon.words(question, tokens)  # shared by the facets: the same function words
    lang = lang or language_of(index, question, tokens, content)
    topic_matches = index.topic_lexicon.find(question, tokens, content)
    q_topics = {t for m in topic_matches for t in m.payloads}
    q_topics |= _conjunctions(index, q_topics)
    q_orgs = {o for m in index.org_lexicon.find(question, tokens) for o in m.payloads}
    found = index.activities.find(question, tokens, content)
    weights = index.expand(q_topics)
    shared = _shared(index, topic_matches)
    for t, w in index.expand(shared).items():
        if t not in index.expand(q_topics - shared):
            weights[t] = w * SHARED_LABEL_WEIGHT
    act_topics = {t for a in found for t in index.activities.topics.get(a, ())}  # an activity's own field
    for t, w in index.expand(act_topics).items():
        weights[t] = max(weights.get(t, 0.0), w * ACTIVITY_TOPIC_WEIGHT)
    acts = index.activities.expand(found)
    kinds = index.text_kinds.find(question, tokens, content)
    named = index.text_names.find(question, tokens)

    in_force = [m for m in index.mandates if index.applicable(m, at)]
    n = max(len(in_force), 1)
    # a topic is as common as the mandates that cover it, directly or through its competent body
    df = {t: sum(1 for m in in_force if _covers(index, m, t)) for t in weights}

    df.update({a: sum(1 for m in in_force if a in m.activities) for a in acts})

    def idf(t: str) -> float:
        return math.log(1 + n / (1 + df.get(t, 0)))

    live_texts = {m.basis["iri"] for m in in_force}
    domain = {t for t in weights if not index.bodies.get(t) and df.get(t)}
    scored = [s for m in in_force if (s := _score(index, m, weights, acts, q_orgs, idf, domain)).score > 0]
    scored = _yield_to_partial(index, scored, at)
    if kinds or named:
        scored = _as_detailed(index, scored, in_force, kinds, named)
    for s in scored:
        if s.mandate.text_kind in kinds or s.mandate.basis["iri"] in named:
            s.score = round(s.score * NAMED_KIND_WEIGHT, 4)
        elif s.mandate.detailed_by & live_texts:
            s.score = round(s.score * GENERAL_TEXT_WEIGHT, 4)
    # a question citing a text by its number or NOR ("decree 2013-728") asks for that text's provisions first
    scored.sort(key=lambda s: (s.mandate.basis["iri"] not in named, -s.score, s.mandate.role_rank, s.mandate.iri))

    denied = _denied(topic_matches, tokens, index.text_kinds.negations, index.topic_lexicon.is_function_word)
    excluded = _exclusion(index, weights, in_force, denied)
    first = excluded_card(index, excluded, in_force, lang, q_topics, at) if excluded is not None else None
    answers, abroad, countries = assemble(
        index, scored, first, lang, at, limit, question, tokens, instruments, kinds, named
    )
    return {"question": question, "at": at.isoformat(), "answers": answers, "abroad": abroad, "countries": countries}


def _score(
    index: Index,
    m: Mandate,
    weights: dict[str, float],
    acts: dict[str, float],
    q_orgs: set[str],
    idf,
    domain: set[str] = frozenset(),
) -> Scored:
    score, matched, reasons = 0.0, [], []
    bens = set(m.beneficiaries)
    spread = math.sqrt(max(len(bens), 1))
    for t, w in weights.items():
        if t in m.reach:
            score += w * m.reach[t] * idf(t)
            matched.append(t)
        elif index.bodies.get(t, set()) & bens:
            score += w * BODY_WEIGHT * idf(t) / spread
            matched.append(t)
    gate = ACTIVITY_GATE if domain and not any(t in m.reach for t in domain) else 1.0
    score += gate * ACTIVITY_WEIGHT * sum(w * idf(a) for a, w in acts.items() if a in m.activities)
    for o in q_orgs:
        if o in bens:
            score += ORG_WEIGHT / spread
            reasons.append(index.orgs.get(o, Org(o, o, o)).acronym)
        elif o in m.partners:
            score += ORG_WEIGHT / 2
            reasons.append(index.orgs.get(o, Org(o, o, o)).acronym)
        elif o == m.holder and score > 0:
            score += HOLDER_WEIGHT
    return Scored(m, round(score * (1.0 if m.normative else DESCRIPTIVE_WEIGHT), 4), matched, reasons)


def _yield_to_partial(index: Index, scored: list[Scored], at: dt.date) -> list[Scored]:
    """Where the text in force is held only in part, the last complete version answers for what it does not
    cover (marked superseded): one of its provisions yields when provisions of the texts held in part that
    followed it answer and cover every topic it matched (one matched on its activity alone yields to them too)."""
    by_text: dict[str, list[Scored]] = {}
    for s in scored:
        by_text.setdefault(s.mandate.basis["iri"], []).append(s)
    keep = []
    for s in scored:
        later = index.timeline.partial_successors(s.mandate.basis["iri"], at) if s.mandate.normative else set()
        answering = [x for p in later for x in by_text.get(p, ())]
        covered = {t for x in answering for t in x.topics}
        if not (answering and set(s.topics) <= covered):
            keep.append(s)
    return keep


def _as_detailed(
    index: Index, scored: list[Scored], in_force: list[Mandate], kinds: set[str], named: set[str]
) -> list[Scored]:
    """A question asking for a general text's provisions (by its kind or number) gets the item of that text an
    item detailing it answers from: the general item covers the case its detailing item covers, and scores as the
    best of them when it scores less on its own words (the décret names a field, the arrêté what is done in it)."""
    by_iri = {s.mandate.iri: s for s in scored}
    out = list(scored)
    for m in in_force:
        if not m.detailed_in or not (m.text_kind in kinds or m.basis["iri"] in named):
            continue
        best = max((by_iri[d] for d in m.detailed_in if d in by_iri), key=lambda s: s.score, default=None)
        own = by_iri.get(m.iri)
        if best is None or (own is not None and own.score >= best.score):
            continue
        if own is None:
            out.append(Scored(m, best.score, list(best.topics), list(best.reasons)))
        else:
            own.score, own.topics = best.score, sorted(set(own.topics) | set(best.topics))
    return out


def _conjunctions(index: Index, topics: set[str]) -> set[str]:
    """Concepts the question names by their parts: a concept with two or more broader concepts, each reached by
    a topic of the question, none by one topic alone, and every topic of the question under one of them ("train
    the rescuers of a civil protection agency": training, under technical cooperation, and civil security name
    the civil-security technical cooperation, whose broader concepts they are)."""
    if len(topics) < 2:
        return set()
    reach = {t: set(index.ancestors(t)) for t in topics}
    out = set()
    for c, parents in index.broader.items():
        if len(parents) < 2 or c in topics or any(parents <= r for r in reach.values()):
            continue
        used = {t for t, r in reach.items() if r & parents}
        if used == topics and all(any(b in r for r in reach.values()) for b in parents):
            out.add(c)
    return out


def _shared(index: Index, matches) -> set[str]:
    """The topics the question names only through labels shared with another concept that is neither broader,
    narrower nor a sibling of it (a label of two unrelated concepts)."""
    alone, shared = set(), set()
    for m in matches:
        ts = set(m.payloads)
        related = all(_related(index, a, b) for a in ts for b in ts)
        (alone if len(ts) == 1 or related else shared).update(ts)
    return shared - alone


def _related(index: Index, a: str, b: str) -> bool:
    """One concept, one broader than the other, or two under one broader concept (a mayor: the local elected
    officials and the municipalities, both local authorities)."""
    return (
        a == b
        or a in index.ancestors(b)
        or b in index.ancestors(a)
        or bool(index.broader.get(a, set()) & index.broader.get(b, set()))
    )


def _covers(index: Index, m: Mandate, t: str) -> bool:
    return t in m.reach or bool(index.bodies.get(t, set()) & set(m.beneficiaries))


def _denied(matches, tokens, negations: frozenset[str], is_function_word) -> set[str]:
    """The topics the question names only under a negation: each of their mentions follows a negation word of
    the same clause (no comma, semicolon, colon or full stop between) by at most NEGATION_WINDOW content words
    ("quand aucune autre direction n'a été désignée autorité responsable": the case is denied, not named)."""
    named: dict[str, bool] = {}
    for m in matches:
        negated, words = False, 0
        for i in range(m.first - 1, -1, -1):
            norm = tokens[i].norm
            if norm in CLAUSE_BOUNDARIES or words > NEGATION_WINDOW:
                break
            if norm in negations:
                negated = True
                break
            words += not is_function_word(norm)
        for t in m.payloads:
            named[t] = named.get(t, True) and negated
    return {t for t, negated in named.items() if negated}


def _exclusion(
    index: Index, weights: dict[str, float], in_force: list[Mandate], denied: set[str] = frozenset()
) -> Exclusion | None:
    """The exclusion whose topics the question names, unless it names more topics of the ministry's own bodies
    (a topic with a competent body other than the one the questions are reserved to) than excluded ones: the
    questions excluded are those *exclusively* another body's ("coopération policière et douanière" is not
    customs alone). A topic the question names only under a negation (`denied`) names no case."""
    live = {m.iri for m in in_force}
    direct = {t for t, w in weights.items() if w == 1.0} - denied
    for ex in index.exclusions:
        hit = ex.topics & direct
        if ex.mandate in live and hit and len(hit) >= len(_own_topics(index, direct - ex.topics, ex)):
            return ex
    return None


def _own_topics(index: Index, topics: set[str], ex: Exclusion) -> set[str]:
    return {t for t in topics if index.bodies.get(t, set()) - ex.reserved_to}
