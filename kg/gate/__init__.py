"""The write gate: every write is validated by SHACL before it is committed, or nothing changes.

A write is a batch of quads to remove and to add. The gate validates the focus nodes the batch
touches, over the batch plus their neighbourhood in the store (so its cost does not grow with the
store), then commits the batch in one transaction.
"""

from kg.gate.batch import focus_nodes, hierarchy_quads, neighbourhood, targets
from kg.gate.engine import Violation, WriteRejected, check, engine, violations_of
from kg.gate.write import commit

__all__ = ["Violation", "WriteRejected", "check", "commit", "engine", "focus_nodes", "hierarchy_quads",
           "neighbourhood", "targets", "violations_of"]  # fmt: skip
