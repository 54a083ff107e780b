"""The register's read model: one row per instrument, in memory, so that the tracker, the filtered lists and
the negotiators' counts cost what their answer costs, not what the store costs (the SPARQL behind
agreements-list.rq takes seconds at 10,000 instruments: BENCHMARKS.md, "Negotiators' views").

It is derived from the store and tied to the store's generation:
- built from the store's quads (one pass per predicate, no joins) the first time it is asked for, and again
  whenever the store's generation is not the one it reflects (a write it was not told about: another
  process, a load, a reasoning run);
- kept in step by every write through kg.services.commits.commit (creates, transitions, imports, loads):
  after the commit and its inferences it calls `written()` with the batch and the generation read before
  it, and the rows of the touched instruments are read again, so the next read costs no rebuild. When the
  generation before the write is not the model's, the model is dropped instead, and the next read builds it
  again;
- over a remote store, where other processes write too, a read that finds the model behind asks the store
  what the writes since touched (the log the processes of `serve --workers N` keep beside the generation
  file, kg.store.genfile) and reads again only those instruments; without such a log, or past a write that
  touched many instruments or the terms the rows are coded with, it builds the model again.
Every reader calls `current(store)`, which compares the generation first: a stale model is never answered.

Two views per instrument, as SPARQL sees them: over every graph (cleared roles) and over the public graphs
only (a restricted instrument is absent; a restricted parent has no id). tests/integration/
test_readmodel.py checks both equal to the SPARQL answers after creates, transitions, imports and moves.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import RDFS

from kg.services import commits
from kg.store import Store
from vocab.namespaces import DCI, ELI, RESTRICTED_GRAPHS

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_INSTRUMENT = ox.NamedNode(str(DCI.Instrument))
_RESTRICTED = {ox.NamedNode(str(g)) for g in RESTRICTED_GRAPHS}


def _p(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


# the instrument's own predicates the rows are made of
FIELDS = {
    _RDF_TYPE: "class", _p(DCI.key): "id", _p(ELI.title): "title", _p(DCI.partnerCountry): "country",
    _p(DCI.confidentiality): "conf", _p(DCI.status): "status", _p(DCI.partnerAuthority): "partner_authority",
    _p(DCI.signedOn): "signed_on", _p(DCI.inForceOn): "in_force_on", _p(ELI.based_on): "parent",
    _p(DCI.topic): "topic", _p(DCI.approvalLaw): "approval_law",
}  # fmt: skip
REFRESH_LIMIT = 2000  # a batch touching more instruments than this rebuilds the whole model
# the predicates the terms the rows are coded with are read from (_vocab): a write touching one rebuilds the model
# What `_vocab` reads, in the order it unpacks them: one list, so that a write to any of them is seen to change
# the terms the rows are coded with (a catch-up then rebuilds)
_VOCAB_READS = (RDFS.subClassOf, DCI.kindCode, DCI.code, DCI.alpha2, DCI.inForceStatus, DCI.finalStatus, DCI.datedBy)
_VOCAB_PREDICATES = {str(t) for t in _VOCAB_READS}
_OURS = "urn:x-dcikg:"  # bookkeeping nodes (pending records, receipts): never instruments


@dataclass(frozen=True)
class Row:
    """One instrument as one view sees it (codes, with the topics' IRIs beside theirs; dates as ISO text)."""

    id: str
    iri: str
    kind: str
    title: str
    partner_country: str
    confidentiality: str
    status: str | None
    signed_on: str | None
    in_force_on: str | None
    partner_authority: str | None
    approval_law: str | None
    parent: str | None  # the parent's IRI; its id depends on the view (Register.parent_id)
    topics: frozenset[str]
    topic_iris: frozenset[str] = frozenset()
    dates: tuple[tuple[str, str], ...] = ()  # (property, ISO date) for each property that dates a status


@dataclass
class Vocab:
    """The term maps the rows are coded with: they change only with the ontology or the schemes, i.e. by a
    write the model is not told about, which rebuilds it."""

    kinds: dict[ox.NamedNode, str]  # instrument class -> kind code
    codes: dict[ox.NamedNode, str]  # status, confidentiality and topic terms -> code
    alpha2: dict[ox.NamedNode, str]  # country -> ISO 3166-1 alpha-2
    settled: set[str]  # status codes that are in force or final (not "stalled")
    dated: set[ox.NamedNode] = field(default_factory=set)  # the properties that date a status (dci:datedBy)


@dataclass
class Register:
    generation: int
    vocab: Vocab
    views: dict[bool, dict[str, Row]] = field(default_factory=lambda: {True: {}, False: {}})  # cleared? -> iri -> Row
    keys: dict[bool, dict[str, str]] = field(default_factory=lambda: {True: {}, False: {}})  # any node's dci:key
    version: int = 0  # moves with every change of the rows: derived answers are cached per version
    lock: threading.RLock = field(default_factory=threading.RLock)
    derived: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)  # what a reader keeps across versions (it checks its own freshness)

    def rows(self, cleared: bool) -> dict[str, Row]:
        return self.views[cleared]

    def parent_id(self, row: Row, cleared: bool) -> str | None:
        return self.keys[cleared].get(row.parent) if row.parent else None

    def cached(self, key, compute):
        """A derived answer (a filtered, sorted list; counts) for this version of the rows."""
        with self.lock:
            found = self.derived.get(key)
            if found is not None and found[0] == self.version:
                return found[1]
            value = compute()
            if len(self.derived) > 256:
                self.derived.clear()
            self.derived[key] = (self.version, value)
            return value

    def keep(self, key, make):
        """A value kept across versions (e.g. a memo keyed by the rows themselves, which a change replaces)."""
        with self.lock:
            found = self.kept.get(key)
            if found is None:
                if len(self.kept) > 16:
                    self.kept.clear()
                found = self.kept[key] = make()
            return found

    # -- keeping in step ---------------------------------------------------------------------------
    def read_again(self, store: Store, iris: Iterable[str]) -> None:
        """Replace what the model holds about each of `iris` by what the store holds now (one read for all)."""
        by_subject: dict[str, list[ox.Quad]] = {iri: [] for iri in iris}
        for q in store.subject_quads([ox.NamedNode(iri) for iri in by_subject]):
            by_subject[q.subject.value].append(q)
        for iri, quads in by_subject.items():
            self.set_facts(ox.NamedNode(iri), quads)

    def set_facts(self, iri: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Replace what the model holds about `iri` by what `quads` (its quads as subject) say."""
        facts: dict[str, list[tuple[object, bool]]] = {}
        for q in quads:
            name = FIELDS.get(q.predicate)
            if name is not None:
                facts.setdefault(name, []).append((q.object, q.graph_name in _RESTRICTED))
            if q.predicate in self.vocab.dated and isinstance(q.object, ox.Literal):
                day = (q.predicate.value, q.object.value[:10])
                facts.setdefault("dates", []).append((day, q.graph_name in _RESTRICTED))
        for cleared in (True, False):
            seen = [(v, r) for v, r in facts.get("id", []) if cleared or not r]
            key = min((v.value for v, _r in seen), default=None)
            if key is None:
                self.keys[cleared].pop(iri.value, None)
            else:
                self.keys[cleared][iri.value] = key
            row = _row(iri, facts, self.vocab, cleared)
            if row is None:
                self.views[cleared].pop(iri.value, None)
            else:
                self.views[cleared][iri.value] = row
        self.version += 1


def _row(iri: ox.NamedNode, facts: dict, vocab: Vocab, cleared: bool) -> Row | None:
    """The row agreements-list.rq answers for `iri` in this view, or None when it answers none."""

    def values(name: str) -> list:
        return [v for v, restricted in facts.get(name, []) if cleared or not restricted]

    def one(name: str, mapping: dict | None = None) -> str | None:
        found = [(mapping.get(v) if mapping is not None else v.value) for v in values(name)]
        found = [f for f in found if f is not None]
        return min(found) if found else None

    row_id, kind, title = one("id"), one("class", vocab.kinds), one("title")
    country, conf = one("country", vocab.alpha2), one("conf", vocab.codes)
    if None in (row_id, kind, title, country, conf) or (not cleared and conf == "restricted"):
        return None
    parents = sorted(v.value for v in values("parent") if isinstance(v, ox.NamedNode))
    dates: dict[str, str] = {}
    for prop, day in sorted(values("dates")):
        dates.setdefault(prop, day)  # the earliest, when a property dates it twice
    return Row(
        id=row_id, iri=iri.value, kind=kind, title=title, partner_country=country, confidentiality=conf,
        status=one("status", vocab.codes), signed_on=one("signed_on"), in_force_on=one("in_force_on"),
        partner_authority=one("partner_authority"), approval_law=one("approval_law"),
        parent=parents[0] if parents else None,
        topics=frozenset(c for c in (vocab.codes.get(v) for v in values("topic")) if c is not None),
        topic_iris=frozenset(v.value for v in values("topic") if isinstance(v, ox.NamedNode)),
        dates=tuple(sorted(dates.items())),
    )  # fmt: skip


def _vocab(store: Store) -> Vocab:
    subclass, kind_code, code, alpha2_of, in_force, final, dated_by = (
        list(store.quads_with(_p(t))) for t in _VOCAB_READS
    )
    instrument_classes = {q.subject for q in subclass if q.object == _INSTRUMENT}
    kinds = {q.subject: q.object.value for q in kind_code if q.subject in instrument_classes}
    codes = {q.subject: q.object.value for q in code if isinstance(q.object, ox.Literal)}
    alpha2 = {q.subject: q.object.value for q in alpha2_of}
    settled = {codes[q.subject] for q in in_force + final if q.subject in codes and q.object == ox.Literal(True)}
    dated = {q.object for q in dated_by if isinstance(q.object, ox.NamedNode)}
    return Vocab(kinds, codes, alpha2, settled, dated)


def build(store: Store) -> Register:
    """The model of the store as it is now (the generation is read first: a write during the build leaves
    the model older than the store, and the next read builds it again)."""
    reg = Register(store.generation, _vocab(store))
    by_subject: dict[ox.NamedNode, list[ox.Quad]] = {}
    keyed = store.quads_with(_p(DCI.key))
    for q in keyed:
        by_subject.setdefault(q.subject, []).append(q)
    for predicate in [*FIELDS, *sorted(reg.vocab.dated - FIELDS.keys(), key=str)]:
        if predicate == _p(DCI.key):
            continue
        for q in store.quads_with(predicate):
            quads = by_subject.get(q.subject)
            if quads is not None and (predicate != _RDF_TYPE or q.object in reg.vocab.kinds):
                quads.append(q)
    for iri, quads in by_subject.items():
        if isinstance(iri, ox.NamedNode):
            reg.set_facts(iri, quads)
    return reg


# -- one model per store ---------------------------------------------------------------------------
_models: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_build_lock = threading.Lock()
_building: weakref.WeakSet = weakref.WeakSet()  # stores whose model a thread started by fresh() is building
_building_lock = threading.Lock()  # not _build_lock: that one is held for a whole build


def current(store: Store) -> Register:
    """The model at the store's generation (caught up from the store's log of changes, else built again, if the
    store moved since)."""
    gen = store.generation
    reg = _models.get(store)
    if reg is not None and reg.generation == gen:
        return reg
    with _build_lock:
        reg = _models.get(store)
        gen = store.generation
        if reg is None or reg.generation != gen:
            reg = (_caught_up(store, reg, gen) if reg is not None else None) or build(store)
            _models[store] = reg
        return reg


def _caught_up(store: Store, reg: Register, gen: int) -> Register | None:
    """`reg` brought to generation `gen` by reading again only the instruments written since, as the store's log
    of changes names them (kg.store.genfile: the processes of `serve --workers N`); None when the log does not
    say, when a write touched the terms the rows are coded with, or when it touched many instruments."""
    change = store.changes(reg.generation, gen)
    if change is None or change.predicates & _VOCAB_PREDICATES:
        return None
    new_keys = str(DCI.key) in change.predicates  # a node keyed since: maybe a new instrument
    touched = [s for s in change.subjects if s in reg.keys[True] or (new_keys and not s.startswith(_OURS))]
    if len(touched) > REFRESH_LIMIT:
        return None
    # a copy, swapped in whole: readers iterating the old model's rows are never disturbed
    views = {c: dict(v) for c, v in reg.views.items()}
    out = Register(gen, reg.vocab, views, {c: dict(v) for c, v in reg.keys.items()}, reg.version + 1)
    out.read_again(store, touched)
    return out


def fresh(store: Store, generation: int | None = None) -> Register | None:
    """The model if it is at `generation` (the store's, read now when not given: over a remote store each read
    is an HTTP request), without waiting: else None, and a build started beside (one at a time per store), for
    a reader that can answer from the store meanwhile."""
    gen = store.generation if generation is None else generation
    reg = _models.get(store)
    if reg is not None and reg.generation == gen:
        return reg
    if reg is not None and _build_lock.acquire(blocking=False):  # a catch-up reads a few instruments: done now
        try:
            caught = _caught_up(store, reg, gen) if _models.get(store) is reg else None
            if caught is not None:
                _models[store] = caught
                return caught
        finally:
            _build_lock.release()
    with _building_lock:
        if store in _building:
            return None
        _building.add(store)

    def build_beside() -> None:
        try:
            current(store)
        finally:
            with _building_lock:
                _building.discard(store)

    threading.Thread(target=build_beside, name="read-model", daemon=True).start()
    return None


def written(store: Store, add: Iterable, remove: Iterable, before: int | None) -> None:
    """Called after every commit (and its inferences): `before` is the generation read before the write
    (None: unknown). The touched instruments' rows are read again, in the same write path; the model then
    reflects the store's new generation. Dropped (rebuilt by the next read) when it was not at `before` or
    when the batch is large; over a remote store left as it is, for the next read to catch up (_caught_up)."""
    reg = _models.get(store)
    if reg is None or store.kind != "embedded":
        return  # over a remote store, another process may have written too: the next read catches up (or builds)
    with reg.lock:
        if before is None or reg.generation != before:
            _models.pop(store, None)
            return
        key_pred = DCI.key
        touched = {
            str(q[0]) for quads in (add, remove) for q in quads if str(q[0]) in reg.keys[True] or q[1] == key_pred
        }
        if len(touched) > REFRESH_LIMIT:
            _models.pop(store, None)
            return
        reg.read_again(store, touched)
        reg.generation = store.generation
        reg.version += 1


commits.on_commit(written)
