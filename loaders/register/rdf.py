"""An instrument as RDF triples."""


from __future__ import annotations

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from loaders.register.model import Instrument, RegisterContext
from loaders.register.reading import is_url
from vocab import iris
from vocab.namespaces import DCI, ELI

# -- RDF ---------------------------------------------------------------------------------------------


def instrument_graph(inst: Instrument, ctx: RegisterContext) -> list[tuple[URIRef, URIRef, Node]]:
    """The register's triples about one instrument (without its status and history), without repeats.

    A list, not an rdflib Graph: an import builds one per row and the Graph cost more than the rest of
    the planning (at 10,000 rows)."""
    g: dict[tuple[URIRef, URIRef, Node], None] = {}
    s = inst.iri
    g[(s, RDF.type, ctx.kinds[inst.kind])] = None
    g[(s, DCI.key, Literal(inst.id))] = None
    g[(s, ELI.title, Literal(inst.title, lang="fr"))] = None
    g[(s, DCI.partnerCountry, iris.country(inst.partner_country))] = None
    g[(s, DCI.confidentiality, ctx.confidentiality[inst.confidentiality])] = None
    for prop, value in (
        (DCI.partnerAuthority, inst.partner_authority),
        (DCI.signedAt, inst.signed_at),
        (DCI.approvalLaw, inst.approval_law),
        (DCI.note, inst.note),
    ):
        if value:
            g[(s, prop, Literal(value))] = None
    for prop, day in (
        (DCI.signedOn, inst.signed_on),
        (DCI.approvedOn, inst.approved_on),
        (DCI.inForceOn, inst.in_force_on),
        (DCI.endedOn, inst.ended_on),
    ):
        if day:
            g[(s, prop, Literal(day.isoformat(), datatype=XSD.date))] = None
    if inst.parent_id:
        g[(s, ELI.based_on, iris.instrument(inst.parent_id))] = None
    for t in inst.topics:
        g[(s, DCI.topic, ctx.topics[t])] = None
    for b in inst.beneficiaries:
        g[(s, DCI.beneficiaryDirectorate, ctx.organisations[b])] = None
    if inst.negotiator:
        g[(s, DCI.negotiator, ctx.organisations[inst.negotiator])] = None
    if inst.mandate_iri:
        g[(s, DCI.underMandate, inst.mandate_iri)] = None
    if inst.certainty and inst.certainty in ctx.certainties:
        g[(s, DCI.certainty, ctx.certainties[inst.certainty])] = None
    for code, target in inst.related:
        g[(s, ctx.relations[code], iris.instrument(target))] = None
    for src in inst.sources:
        g[(s, DCTERMS.source, URIRef(src) if is_url(src) else Literal(src))] = None
    return list(g)
