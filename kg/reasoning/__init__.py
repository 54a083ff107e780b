"""Reasoning: HermiT (through owlready2) checks consistency and classifies; SPARQL rules materialise
the inferences plain SPARQL users need into the inferred graph."""

from kg.reasoning.hermit import ReasoningReport, asserted_graph, check_consistency, reason
from kg.reasoning.rules import materialise, refresh

__all__ = ["ReasoningReport", "asserted_graph", "check_consistency", "materialise", "reason", "refresh"]
