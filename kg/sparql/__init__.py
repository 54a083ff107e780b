"""The SPARQL 1.1 Protocol service, without HTTP: choosing a result format, checking and running a query.

A query is read-only by construction: what it does is decided from a parse of it (kg.sparql.guard), in a
confined worker process (kg.sparql.sandbox: no network, bounded memory) that is killed when the time limit passes,
so the work really stops. Update forms, `SERVICE` (the store would fetch the URL) and `FROM` clauses (the
dataset is fixed by the caller's rights) are refused; on a remote store the checked query is forwarded
with the same limits. Every query takes this path: none is run in the server process.
"""

from kg.sparql.errors import (
    DatasetNotKept,
    NotAcceptable,
    QueryRefused,
    QueryTimeout,
    ResultTooLarge,
    WorkerLost,
    WorkersUnavailable,
)
from kg.sparql.guard import Form
from kg.sparql.pool import EmbeddedRunner, QueryChecker, WorkerPool
from kg.sparql.protocol import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Answer,
    Checked,
    Format,
    formats_for,
    negotiate,
    wants_html,
)

__all__ = [
    "GRAPH_FORMATS", "RESULT_FORMATS", "Answer", "Checked", "DatasetNotKept", "EmbeddedRunner", "Form", "Format",
    "NotAcceptable", "QueryChecker", "QueryRefused", "QueryTimeout", "ResultTooLarge", "WorkerLost", "WorkerPool",
    "WorkersUnavailable", "formats_for", "negotiate", "runner_for", "wants_html",
]  # fmt: skip


def runner_for(store, workers: int, memory_mb: int):
    """The /sparql runner of a store: confined workers run the query on the embedded store; on a remote
    one they check it and the server runs it."""
    if store.kind == "remote" and store.path is None:  # a local owner's directory is read like the embedded store
        from kg.sparql.remote import RemoteRunner

        return RemoteRunner(store, workers, memory_mb)
    return EmbeddedRunner(store, workers, memory_mb)
