"""What can go wrong with a SPARQL query, each mapped to its HTTP status by the API."""

from __future__ import annotations

from kg.sparql.guard import QueryRefused
from kg.store.base import QueryTimeout, ResultTooLarge

__all__ = [
    "DatasetNotKept", "NotAcceptable", "QueryRefused", "QueryTimeout", "ResultTooLarge", "WorkerLost",
    "WorkersUnavailable",
]  # fmt: skip


class NotAcceptable(ValueError):
    """No result format the client accepts fits the query form (406)."""


class WorkerLost(Exception):
    """The query stopped its worker (over its memory cap, or a crash of the engine); it was replaced (503)."""


class WorkersUnavailable(RuntimeError):
    """The query workers could not start confined (503)."""


class DatasetNotKept(Exception):
    """The remote server does not keep a query to its protocol dataset, and graphs outside the caller's
    dataset hold data: forwarding the query could answer from them (403)."""
