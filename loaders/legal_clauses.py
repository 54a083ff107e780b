"""Clause analysis: in one paragraph or item, the holder (its subject), the role verbs, the beneficiaries,
the partners, the units it composes and the exclusion clause, all recognised through the labels of the RDF
vocabulary handed in (`Vocabulary`), never through names written here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from loaders.vocabulary import Vocabulary
from vocab.lexicon import Match, Token, tokenize
from vocab.namespaces import DCI, ORG

_PRONOUNS = {"elle", "il"}
_ARTICLES = {"le", "la", "l", "les"}
_OF = {"du", "de", "des", "d"}
_STOPS = {",", ";", ":", "."}
_COOPERATION = "cooperation"
_NON_EXHAUSTIVE = "notamment"


def composition_cue(text: str, vocab: Vocabulary) -> Match | None:
    """The cue ("comprend", "se compose de") that makes a sentence list the units of an organisation."""
    found = [c for c in vocab.cues.find(text, tokenize(text)) if vocab.cue_info[_one(c)].kind == ORG.hasSubOrganization]
    return found[0] if found else None


def heading_subject(text: str, vocab: Vocabulary) -> URIRef | None:
    """The body a verbless heading names ("Le bureau des études :"): the holder of the items or dashes that
    follow it."""
    tokens = tokenize(text)
    if len(tokens) < 2 or tokens[-1].norm != ":":
        return None
    found = vocab.orgs.find(text, tokens)
    if len(found) != 1 or found[0].last != len(tokens) - 1:
        return None
    if found[0].first > 1 or (found[0].first == 1 and tokens[0].norm not in _ARTICLES):
        return None
    return _one(found[0])


@dataclass
class Clause:
    holder: URIRef | None = None
    roles: list[URIRef] = field(default_factory=list)
    beneficiaries: list[URIRef] = field(default_factory=list)
    partners: list[URIRef] = field(default_factory=list)
    reserved_to: list[URIRef] = field(default_factory=list)
    exclusion_text: str | None = None
    units: list[URIRef] = field(default_factory=list)
    mentions: list[URIRef] = field(default_factory=list)
    topics: list[URIRef] = field(default_factory=list)
    cooperation: list[URIRef] = field(default_factory=list)
    explicit_subject: bool = False
    non_exhaustive: bool = False  # "au profit notamment": the beneficiaries listed are examples


def analyse(
    text: str,
    vocab: Vocabulary,
    subject: URIRef | None,
    body_of: Callable[[str, URIRef], URIRef | None] | None = None,
    short_name: Callable[[str], URIRef | None] | None = None,
) -> Clause:
    """The clause of `text`; `body_of(phrase, org)` names the body a subject such as "le cabinet du secrétaire
    général" designates through an organisation (without it, that organisation is the subject);
    `short_name(phrase)` the unit an unknown subject names by the start of its name."""
    tokens = tokenize(text)
    orgs = vocab.orgs.find(text, tokens)
    cues = vocab.cues.find(text, tokens)
    inside_org = {i for m in orgs for i in range(m.first, m.last)}
    # a verb inside an organisation's name ("centre de veille") is not a role
    roles = [m for m in vocab.roles.find(text, tokens) if m.first not in inside_org]
    clause = Clause()
    structural = [c for c in cues if vocab.cue_info[_one(c)].kind == ORG.hasSubOrganization]
    verb_at = min([m.first for m in roles] + [m.first for m in structural] + [len(tokens)])

    kinds = _scope_kinds(tokens, cues, orgs, vocab)
    first_org = next((m for m in orgs if m.first < verb_at and kinds[m.first] is None), None)
    pronoun_at = next((i for i, t in enumerate(tokens[:verb_at]) if t.norm in _PRONOUNS), None)
    has_verb = verb_at < len(tokens)
    if has_verb and first_org is not None and (pronoun_at is None or first_org.first < pronoun_at):
        clause.holder, clause.explicit_subject = _one(first_org), True
        head = _of_phrase(tokens, first_org.first) if body_of is not None else None
        if head is not None:
            clause.holder = body_of(text[tokens[head].start : first_org.end], _one(first_org)) or clause.holder
    elif pronoun_at is not None:
        clause.holder = subject
    elif has_verb and short_name is not None and first_org is None and tokens[0].norm in _ARTICLES:
        # "Le bureau des élections prépare …": a unit the text created as "bureau des élections et des …"
        clause.holder = short_name(text[: tokens[verb_at].start])
        clause.explicit_subject = clause.holder is not None

    # where the text names its beneficiaries with a cue, an organisation outside every cue is not one of them
    # ("la coopération technique du ministère de l'intérieur, au profit notamment : ― du secrétariat général")
    named = any(vocab.cue_info[_one(c)].kind == DCI.beneficiary for c in cues)
    clause.non_exhaustive = any(
        vocab.cue_info[_one(c)].kind == DCI.beneficiary
        and any(t.norm == _NON_EXHAUSTIVE for t in tokens[c.first : c.last + 1])
        for c in cues
    )
    for m in orgs:
        for o in sorted(m.payloads):
            _add(clause.mentions, o)
            if m is first_org and clause.explicit_subject:
                continue
            kind = kinds[m.first]
            if kind == DCI.partner:
                _add(clause.partners, o)
            elif kind == DCI.reservedTo:
                _add(clause.reserved_to, o)
            elif kind == ORG.hasSubOrganization:
                _add(clause.units, o)
            elif kind == DCI.mentions:
                continue  # named, not served: the staff's body, the body the holder is told about
            elif o != clause.holder and (kind == DCI.beneficiary or (kind is None and not named)):
                _add(clause.beneficiaries, o)

    # "les coopérations techniques en matière d'immigration, d'asile et d'intégration": the field named belongs
    # to a body (the topics' dci:competentBody), the one the cooperation is run for, when no body is named
    field_cue = next((c for c in cues if vocab.cue_info[_one(c)].kind == DCI.competentBody), None)
    if field_cue is not None and not clause.beneficiaries:
        for body in _field_bodies(tokens, text, field_cue, vocab):
            if body != clause.holder:
                _add(clause.beneficiaries, body)

    clause.roles = _roles(roles, vocab, has_partner=bool(clause.partners))
    # words inside an organisation's name are already a beneficiary or partner, not a topic
    exclusion = next((c for c in cues if vocab.cue_info[_one(c)].kind == DCI.reservedTo), None)
    # nor are the words of the exclusion clause: the case it leaves to another body is not the mandate's
    reserved = range(0)
    if exclusion is not None:
        ends = vocab.cue_info[_one(exclusion)].ends_at
        end = next((i for i in range(exclusion.last, len(tokens)) if tokens[i].norm in ends), len(tokens))
        reserved = range(exclusion.first, end)
    clause.topics = [
        t
        for m in vocab.topics.find(text, tokens)
        if m.first not in inside_org and m.first not in reserved
        for t in sorted(m.payloads)
    ]
    clause.cooperation = _cooperation_types(tokens, vocab)
    if exclusion is not None:
        tail = text[exclusion.start :]
        clause.exclusion_text = re.split(r"[;.]", tail, maxsplit=1)[0].strip(" ,")
    return clause


def _field_bodies(tokens: list[Token], text: str, cue: Match, vocab: Vocabulary) -> list[URIRef]:
    """The competent bodies of the topics named in the cue's scope, in a stable order."""
    ends = vocab.cue_info[_one(cue)].ends_at
    end = next((i for i in range(cue.last, len(tokens)) if tokens[i].norm in ends), len(tokens))
    topics = {t for m in vocab.topics.find(text, tokens) if cue.last <= m.first < end for t in m.payloads}
    return sorted({body for body, owned in vocab.topics_of_body.items() if owned & topics})


def _of_phrase(tokens: list[Token], org_at: int) -> int | None:
    """Where a subject "le <noun> du <organisation>" starts its noun, the organisation beginning at `org_at`;
    None when the organisation is itself the subject."""
    i = org_at - 1
    if i >= 1 and tokens[i].norm in ("la", "l") and tokens[i - 1].norm == "de":
        i -= 1
    if i < 2 or tokens[i].norm not in _OF:
        return None
    noun_end = i
    j = i - 1
    while j >= 0 and tokens[j].norm not in _ARTICLES and tokens[j].norm not in _STOPS and noun_end - j <= 3:
        j -= 1
    if j < 0 or tokens[j].norm not in _ARTICLES or j == noun_end - 1:
        return None
    if j > 0 and tokens[j - 1].norm not in _STOPS:
        return None
    return j + 1


def _scope_kinds(
    tokens: list[Token], cues: list[Match], orgs: list[Match], vocab: Vocabulary
) -> dict[int, URIRef | None]:
    """For each organisation mention (by first token), the kind of the cue whose scope covers it."""
    cue_at = {c.first: c for c in cues}
    starts = {m.first for m in orgs}
    kinds: dict[int, URIRef | None] = {}
    active: tuple[URIRef, str] | None = None
    i = 0
    while i < len(tokens):
        if i in cue_at:
            info = vocab.cue_info[_one(cue_at[i])]
            after = cue_at[i].last
            # a cue that introduces a list ("au profit notamment : ― du … ; ― de …") holds to the list's end
            list_intro = after < len(tokens) and tokens[after].norm == ":"
            active = (info.kind, "." if list_intro else info.ends_at)
            i = cue_at[i].last
            continue
        tok = tokens[i].norm
        if active and tok in active[1]:
            active = None
        if i in starts:
            kinds[i] = active[0] if active else None
        i += 1
    return kinds


def _roles(matches: list[Match], vocab: Vocabulary, *, has_partner: bool) -> list[URIRef]:
    """Role concepts in text order; a partner-only role wins over its plain form when partners exist."""
    out: list[URIRef] = []
    for m in matches:
        candidates = [vocab.role_info[r] for r in m.payloads]
        fitting = [c for c in candidates if c.with_partner_only == has_partner] or [
            c for c in candidates if not c.with_partner_only
        ]
        for c in fitting or candidates:
            _add(out, c.iri)
    return out


def _cooperation_types(tokens: list[Token], vocab: Vocabulary) -> list[URIRef]:
    """Adjectives after "coopération(s)": "les coopérations technique, opérationnelle et institutionnelle"."""
    out: list[URIRef] = []
    for i, tok in enumerate(tokens):
        if tok.norm != _COOPERATION:
            continue
        j = i + 1
        while j < len(tokens):
            if tokens[j].norm in {",", "et"}:
                j += 1
                continue
            found = vocab.cooperation.find("", tokens[j : j + 6])
            if not found or found[0].first != 0:
                break
            for c in sorted(found[0].payloads):
                _add(out, c)
            j += found[0].last
    return out


def _one(m: Match) -> URIRef:
    return sorted(m.payloads)[0]


def _add(seq: list, value) -> None:
    if value not in seq:
        seq.append(value)
