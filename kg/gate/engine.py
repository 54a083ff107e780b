"""The SHACL run: the shapes over a data graph, with the engine the settings name; violations as data."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.gate.shapes import validation_shapes
from kg.settings import get_settings


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


@dataclass
class WriteRejected(Exception):
    """SHACL refused the write; nothing was committed."""

    violations: list[Violation] = field(default_factory=list)
    report_text: str = ""

    def __str__(self) -> str:
        lines = [f"write refused: {len(self.violations)} SHACL violation(s); the store is unchanged"]
        lines += [f"  - {v}" for v in self.violations[:50]]
        if len(self.violations) > 50:
            lines.append(f"  … and {len(self.violations) - 50} more")
        return "\n".join(lines)


def violations_of(report: Graph) -> list[Violation]:
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        path = report.value(r, SH.resultPath)
        out.append(
            Violation(
                focus=str(report.value(r, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message=str(report.value(r, SH.resultMessage) or "constraint violated"),
                severity=str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))


def engine(name: str | None = None):
    """The validate() function of the SHACL engine: pyshacl (the reference) or pyshacl-turbo (same API,
    same verdicts on the shapes' valid/invalid pairs — tests/integration/test_agreements_shapes.py)."""
    if (name or get_settings().shacl_engine) == "turbo":
        from pyshacl_turbo import validate as turbo

        return turbo
    from pyshacl import validate  # the reference engine, imported when asked for: ~0.3 s off a server start

    return validate


def serialized(text: str):
    """N-Triples text as pyshacl-turbo's serialized input: its native parser builds the graph (a triple
    given twice is one triple; blank-node labels are kept), with no Python object per triple."""
    from pyshacl_turbo.rdf import Input

    return Input(text, "nt", None, {}, preserve_ids=True)


def check(data: Graph | ox.Store, focus: list | None = None, *, engine_name: str | None = None) -> None:
    """Validate `data`; raise WriteRejected on violations (only those about `focus` nodes, if given).

    pyshacl's own focus-node mode skips shapes that target a superclass of the node's class and nested
    sh:node checks, so the extracted subgraph is validated whole and the report filtered: the neighbours
    in it are partial, their own violations are not the write's. The shapes' SPARQL constraints run
    through SPARQL targets (SHACL-AF, hence `advanced`): see kg/gate/targets.py."""
    conforms, report, text = engine(engine_name)(
        data, shacl_graph=validation_shapes(), inference="none", allow_warnings=True, advanced=True
    )
    if not isinstance(report, Graph):  # pyshacl's ValidationFailure: the shapes themselves are wrong
        raise RuntimeError(f"SHACL validation could not run: {text}")
    if conforms:
        return
    violations = violations_of(report)
    if focus is not None:
        wanted = {str(f) for f in focus}
        violations = [v for v in violations if v.focus in wanted]
    if violations:
        raise WriteRejected(violations, text)
