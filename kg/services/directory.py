"""Directorates and mandates at a date, read from the competence index and the dated unit links."""

from __future__ import annotations

import datetime as dt

from rdflib import URIRef

from kg import queries
from kg.services.competence import Index, Mandate
from kg.services.timeline import day
from kg.store import Store
from vocab import citations
from vocab.namespaces import ID


class NotFound(LookupError):
    pass


def _mandate(index: Index, m: Mandate, at: dt.date, lang: str = "fr") -> dict:
    return {
        "iri": m.iri,
        "article": m.article,
        "letter": m.letter,
        "text": m.text,
        "role": m.role,
        "in_force": m.in_force(at),
        "holder": index.org_json(m.holder, lang, at),
        "beneficiaries": [index.org_json(b, lang, at) for b in m.beneficiaries if b in index.orgs],
        "partners": [index.org_json(p, lang, at) for p in m.partners if p in index.orgs],
        "legal_text": index.legal_text(m, at),
    }


def mandates(index: Index, at: dt.date) -> dict:
    live = [_mandate(index, m, at) for m in index.mandates if m.in_force(at)]
    return {"at": at.isoformat(), "mandates": live}


def mandate(index: Index, key: str, at: dt.date) -> dict:
    iri = str(ID[key])
    for m in index.mandates:
        if m.iri == iri:
            return _mandate(index, m, at)
    raise NotFound(f"no mandate {iri}")


def directorates(store: Store, index: Index) -> list[dict]:
    out = []
    for row in store.select(queries.load("directorates").text):
        org = index.orgs.get(str(row["org"]))
        if org is not None:
            out.append({**org.as_json(), "key": str(row["key"]), "kind": str(row["kind"]).rsplit("#", 1)[-1]})
    return out


def _link_state(index: Index, row: dict, at: dt.date) -> str | None:
    """`known` when the link holds on `at`, `unknown` when the text stating it has ended and nothing says
    whether the link outlived it, None when it does not hold (not yet, or ended). A year or a month is a
    period: a link "to 2015" holds until the end of 2015."""
    start, end = day(row["from"]), day(row["to"], last=True)
    if (start is not None and at < start) or (end is not None and at > end):
        return None
    text = index.timeline.texts.get(str(row["statedBy"])) if row["statedBy"] is not None else None
    if end is None and text is not None and text.end is not None and at > text.end:
        return "unknown"
    return "known"


def directorate(store: Store, index: Index, key: str, at: dt.date, lang: str = "fr") -> dict:
    iri = str(ID[f"org/{key}"])
    org = index.orgs.get(iri)
    if org is None:
        raise NotFound(f"no organisation {iri}")
    q = queries.load("unit-links")
    unit_of, units, unknown = [], [], []
    for row in store.select(q.inline(org=URIRef(iri))):
        state = _link_state(index, row, at)
        if state is None:
            continue
        link = {
            "link": str(row["link"]),
            "valid_from": str(row["from"]) if row["from"] is not None else None,
            "valid_to": str(row["to"]) if row["to"] is not None else None,
            "certainty": str(row["certainty"]) if row["certainty"] is not None else None,
            "stated_by": str(row["statedBy"]) if row["statedBy"] is not None else None,
        }
        if str(row["unit"]) == iri:
            unit_of.append({**link, "organisation": index.org_json(str(row["parent"]), lang, at)})
        else:
            (units if state == "known" else unknown).append(
                {**link, "organisation": index.org_json(str(row["unit"]), lang, at)}
            )
    held = [_mandate(index, m, at, lang) for m in index.mandates if m.holder == iri and m.in_force(at)]
    name = index.timeline.name(iri, at)
    return {
        **index.org_json(iri, lang, at),
        "key": key,
        "at": at.isoformat(),
        "name": name.as_json() if name else None,
        "mandates": held,
        "unit_of": sorted(unit_of, key=lambda u: u["organisation"]["iri"]),
        "units": sorted(units, key=lambda u: u["organisation"]["iri"]),
        "units_unknown": sorted(unknown, key=lambda u: u["organisation"]["iri"]),
    }


def _mandate_label(m: dict) -> str:
    if m["letter"]:
        return citations.item(m["letter"])
    if m["article"]:
        return citations.provision(m["article"])
    return m["legal_text"]["title"] if m["legal_text"] else "—"


def chart(store: Store, index: Index, key: str, at: dt.date, lang: str = "fr") -> dict:
    """A directorate on a date as a graph: the bodies it is a unit of, its units (dated unit links),
    the organisations its mandates (and its units' mandates) are for, and one edge per holder and
    beneficiary carrying those mandates. Only what is known on the date is drawn: units whose state is
    unknown (the text stating them has ended) and texts superseded by a text not held are listed apart."""
    root = directorate(store, index, key, at, lang)
    units = [{**u["organisation"], "certainty": u["certainty"]} for u in root["units"]]  # that of the link
    holders = [root] + [directorate(store, index, u["iri"].rsplit("/", 1)[-1], at, lang) for u in units]
    edges: dict[tuple[str, str], list[dict]] = {}
    beneficiaries: dict[str, dict] = {}
    superseded: dict[str, dict] = {}
    for h in holders:
        answering = [
            _mandate(index, m, at, lang) for m in index.mandates if m.holder == h["iri"] and index.applicable(m, at)
        ]
        for m in answering:
            if m["legal_text"].get("superseded_by"):
                superseded.setdefault(m["legal_text"]["iri"], m["legal_text"])
                continue
            for b in m["beneficiaries"]:
                beneficiaries.setdefault(b["iri"], b)
                edges.setdefault((h["iri"], b["iri"]), []).append(
                    {"iri": m["iri"], "label": _mandate_label(m), "role": m["role"], "text": m["text"]}
                )
    parents = [u["organisation"] for u in root["unit_of"]]
    shown = {root["iri"], *(u["iri"] for u in units), *(p["iri"] for p in parents)}
    return {
        "at": at.isoformat(),
        "root": {k: root[k] for k in ("iri", "acronym", "label")},
        "name": root["name"],
        "parents": parents,
        "units": units,
        "units_unknown": root["units_unknown"],
        "superseded_texts": [superseded[k] for k in sorted(superseded)],
        "beneficiaries": sorted((b for i, b in beneficiaries.items() if i not in shown), key=lambda b: b["acronym"]),
        "mandate_edges": [{"holder": h, "beneficiary": b, "mandates": ms} for (h, b), ms in sorted(edges.items())],
    }


def uncertain_names(index: Index, at: dt.date) -> dict[str, dict]:
    """The organisations whose name in force on `at` is not certain, or only attested (start unknown)."""
    out = {}
    for org in index.timeline.names:
        name = index.timeline.name(org, at)
        if name is not None and (name.certainty != "certain" or name.start is None):
            out[org] = name.as_json()
    return out


def role_labels(store: Store, lang: str) -> dict[str, str]:
    """The label of each mandate role code (lead, implement, …) in a language, from the roles scheme."""
    out: dict[str, str] = {}
    for row in store.select(queries.load("role-labels").text):
        label = row["label"]
        if getattr(label, "language", None) == lang or str(row["code"]) not in out:
            out[str(row["code"])] = str(label)
    return out


def with_acronym(store: Store) -> frozenset[str]:
    """The organisations with an acronym of their own; the others' key ("FUNDERS") is an identifier, not a
    name to show."""
    return frozenset(str(row["org"]) for row in store.select(queries.load("org-acronyms").text))
