"""Every write of an instrument replaces its revision token (dci:revision) and is conditional on the token
it read: of two writers that read the same state, across threads, processes or API servers over one
store, the store lets one commit and refuses the other (WriteConflict), where the write happens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from rdflib import RDF, Literal, URIRef

from kg.store import Expect
from vocab.namespaces import DCI
from vocab.terms import Quad, to_ox


@dataclass
class Revisions:
    """What a batch adds and removes to move the revisions of the instruments it writes, and the
    conditions the store checks."""

    add: list[Quad] = field(default_factory=list)
    remove: list[Quad] = field(default_factory=list)
    expect: list[Expect] = field(default_factory=list)

    def created(self, iri: URIRef, graph: URIRef) -> None:
        """A new instrument: the store must not know the node at all."""
        self.expect.append(Expect(to_ox(iri), to_ox(RDF.type), None))
        # and no revision: two creators add the same type triple but not the same token, so a creation the
        # server let through beside another is seen after the write (RemoteStore._verify)
        self.expect.append(Expect(to_ox(iri), to_ox(DCI.revision), None))
        self.add.append((iri, DCI.revision, _token(), graph))

    def changed(self, iri: URIRef, quads: list[Quad], graph: URIRef) -> None:
        """An instrument written from `quads` (what was read of it): still at the revision read."""
        held = [q for q in quads if q[0] == iri and q[1] == DCI.revision]
        value = held[0][2] if held else None
        self.expect.append(Expect(to_ox(iri), to_ox(DCI.revision), None if value is None else to_ox(value)))
        self.remove += held
        self.add.append((iri, DCI.revision, _token(), graph))


def without_revisions(quads: list[Quad]) -> list[Quad]:
    return [q for q in quads if q[1] != DCI.revision]


def _token() -> Literal:
    return Literal(uuid.uuid4().hex)
