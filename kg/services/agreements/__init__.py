"""Agreement services: list, show, history, transition, create, import, export.

HTTP-free: the CLI and the API call these same functions; they take a store and plain values and return
plain dicts. Every write goes through the gate (kg.gate.commit): SHACL on the touched instrument and its
neighbourhood, then one transaction, or nothing.
"""

from __future__ import annotations

from kg.services.agreements.export import export_rows, export_turtle
from kg.services.agreements.filters import UnknownCode
from kg.services.agreements.imports import (
    IMPORT_AGENT,
    ImportReport,
    current_states,
    event_batch,
    import_file,
    import_rows,
    plan_import,
    register_context,
)
from kg.services.agreements.lifecycle import IllegalTransition, InvalidValue
from kg.services.agreements.reads import NotFound, history, list_instruments, show, version
from kg.services.agreements.writes import AlreadyExists, create, transition

__all__ = [
    "IMPORT_AGENT", "AlreadyExists", "IllegalTransition", "ImportReport", "InvalidValue", "NotFound", "UnknownCode",
    "create", "current_states", "event_batch", "export_rows", "export_turtle", "history", "import_file",
    "import_rows", "list_instruments", "plan_import", "register_context", "show", "transition", "version",
]  # fmt: skip
