"""Directorates and mandates at a date, read from the competence index and the dated unit links."""

from __future__ import annotations

import datetime as dt

from rdflib import URIRef

from kg import queries
from kg.services.competence import Index, Mandate
from kg.store import Store
from vocab import citations
from vocab.namespaces import ID


class NotFound(LookupError):
    pass


def _mandate(index: Index, m: Mandate, at: dt.date) -> dict:
    holder = index.orgs.get(m.holder)
    return {
        "iri": m.iri,
        "article": m.article,
        "letter": m.letter,
        "text": m.text,
        "role": m.role,
        "in_force": m.in_force(at),
        "holder": holder.as_json() if holder else {"iri": m.holder, "acronym": "", "label": m.holder},
        "beneficiaries": [index.orgs[b].as_json() for b in m.beneficiaries if b in index.orgs],
        "partners": [index.orgs[p].as_json() for p in m.partners if p in index.orgs],
        "legal_text": m.basis,
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


def _in_force(start: object, end: object, at: dt.date) -> bool:
    def date(v: object) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(v)[:10]) if v is not None else None
        except ValueError:
            return None

    s, e = date(start), date(end)
    return (s is None or s <= at) and (e is None or at <= e)


def directorate(store: Store, index: Index, key: str, at: dt.date) -> dict:
    iri = str(ID[f"org/{key}"])
    org = index.orgs.get(iri)
    if org is None:
        raise NotFound(f"no organisation {iri}")
    q = queries.load("unit-links")
    unit_of, units = [], []
    for row in store.select(q.inline(org=URIRef(iri))):
        if not _in_force(row["from"], row["to"], at):
            continue
        link = {
            "link": str(row["link"]),
            "valid_from": str(row["from"]) if row["from"] is not None else None,
            "valid_to": str(row["to"]) if row["to"] is not None else None,
        }
        if str(row["unit"]) == iri:
            other = index.orgs.get(str(row["parent"]))
            unit_of.append({**link, "organisation": other.as_json() if other else {"iri": str(row["parent"])}})
        else:
            other = index.orgs.get(str(row["unit"]))
            units.append({**link, "organisation": other.as_json() if other else {"iri": str(row["unit"])}})
    held = [_mandate(index, m, at) for m in index.mandates if m.holder == iri and m.in_force(at)]
    return {
        **org.as_json(),
        "key": key,
        "at": at.isoformat(),
        "mandates": held,
        "unit_of": sorted(unit_of, key=lambda u: u["organisation"]["iri"]),
        "units": sorted(units, key=lambda u: u["organisation"]["iri"]),
    }


def _mandate_label(m: dict) -> str:
    if m["letter"]:
        return citations.item(m["letter"])
    if m["article"]:
        return citations.provision(m["article"])
    return m["legal_text"]["title"] if m["legal_text"] else "—"


def chart(store: Store, index: Index, key: str, at: dt.date) -> dict:
    """A directorate on a date as a graph: the bodies it is a unit of, its units (dated unit links),
    the organisations its mandates (and its units' mandates) are for, and one edge per holder and
    beneficiary carrying those mandates."""
    root = directorate(store, index, key, at)
    units = [u["organisation"] for u in root["units"]]
    holders = [root] + [directorate(store, index, u["iri"].rsplit("/", 1)[-1], at) for u in units]
    edges: dict[tuple[str, str], list[dict]] = {}
    beneficiaries: dict[str, dict] = {}
    for h in holders:
        for m in h["mandates"]:
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
        "parents": parents,
        "units": units,
        "beneficiaries": sorted((b for i, b in beneficiaries.items() if i not in shown), key=lambda b: b["acronym"]),
        "mandate_edges": [{"holder": h, "beneficiary": b, "mandates": ms} for (h, b), ms in sorted(edges.items())],
    }


def role_labels(store: Store, lang: str) -> dict[str, str]:
    """The label of each mandate role code (lead, implement, …) in a language, from the roles scheme."""
    out: dict[str, str] = {}
    for row in store.select(queries.load("role-labels").text):
        label = row["label"]
        if getattr(label, "language", None) == lang or str(row["code"]) not in out:
            out[str(row["code"])] = str(label)
    return out
