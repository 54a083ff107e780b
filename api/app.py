"""The app factory: `create_app(settings, store=None)`, and `app_from_env` for uvicorn's worker processes; the
lifespan opens the store (building the bundled data into an empty one), starts the SPARQL runner, and closes both
on shutdown."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import formats, problems
from api.apidocs import offline_app
from api.bodies import BodyLimit
from api.cors import SparqlCors
from api.pages import STATIC_DIR
from api.routers import agreements, imports, knowledge, query_page, resources, sparql, tracker, web
from api.state import AppState
from kg.auth.access import GraphAccess
from kg.auth.tokens import TokenFile
from kg.services import commits, competence
from kg.services.agreements import readmodel
from kg.settings import Settings, get_settings
from kg.sparql import runner_for
from kg.store import Store
from kg.store.open import open_configured

log = logging.getLogger("dci-kg.api")
WARM_AFTER_S = 1.0

DESCRIPTION = """Mandates, directorates and international security agreements of the French interior
ministry's international cooperation directorate (DCI), as a knowledge graph.

Anonymous callers read public data; writes need `Authorization: Bearer <token>` (`dci-kg token create`).
Errors are `application/problem+json`."""


def _warm(state: AppState) -> None:
    formats.warm()  # the pages' name order (0.3 s)
    readmodel.current(state.store)
    for cleared in (False, True):  # the instruments a case file lists, per view (about a second at 100,000)
        competence.instruments_lookup(state.store, state.index(), cleared=cleared)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        st = open_configured(settings) if store is None else store
        backend = st.kind
        if not st.graph_names():
            from kg.services.build import init

            log.info("empty store: building the bundled data")
            init(st)
        for cut_off in commits.recover(st):  # before answering: no inference is left stale by a crash
            log.warning("recovered: %s", cut_off.sentence())
        runner = runner_for(st, settings.sparql_workers, settings.sparql_worker_memory_mb)
        try:
            state = AppState(settings, st, runner, TokenFile(settings.tokens_file), GraphAccess(st), backend=backend)
            # warm the competence index (/health answers only once the app can answer) while the SPARQL
            # workers start in their own processes: their spawn and imports overlap the build
            state.index()
            walls = await runner.ready()  # a worker that cannot be confined stops the start, with the reason
        except Exception:
            runner.close()
            raise
        log.info("SPARQL workers confined: %s", ", ".join(walls))
        # the register's read model and the case files' view of it, built beside the start (the first tracker
        # request waits for the model), a second after it: the build holds the GIL for seconds (27 s at 100,000
        # instruments), and the first requests (a health check, a question) would wait behind it
        warm = threading.Thread(target=_warm, args=(state,), name="read-model", daemon=True)
        timer = asyncio.get_running_loop().call_later(WARM_AFTER_S, warm.start)
        app.state.dcikg = state
        try:
            yield
        finally:
            timer.cancel()
            runner.close()
            if own:
                st.close()

    # /docs (Swagger UI) and /redoc from the assets fastapi-offline ships: no CDN, the pages work offline
    app = offline_app(
        title="dci-kg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # a malformed, unknown or revoked token is refused on any route that reads the caller
        responses=problems.responses(401),
        openapi_tags=[
            {"name": "competence", "description": "Which directorate handles a question, on a date"},
            {"name": "organisation", "description": "Directorates and mandates on a date"},
            {"name": "sparql", "description": "SPARQL 1.1 Protocol, read-only"},
            {"name": "resources", "description": "Project IRIs dereferenced (HTML, Turtle, JSON-LD)"},
            {"name": "agreements", "description": "The agreements register: instruments, history, status changes"},
            {"name": "import", "description": "Loading data through the SHACL gate"},
            {"name": "service", "description": "Health"},
        ],
    )
    problems.install(app)
    app.add_middleware(BodyLimit, limit=settings.max_import_bytes)  # no route reads more than an import
    app.add_middleware(SparqlCors, origins=settings.cors_origin_list)  # CORS on /sparql only (api/cors.py)
    app.include_router(knowledge.router)
    app.include_router(sparql.router)
    app.include_router(resources.router)
    app.include_router(imports.router)
    app.include_router(agreements.router)
    app.include_router(web.router)
    app.include_router(query_page.router)
    app.include_router(tracker.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_env() -> FastAPI:
    """The app of one process of `dci-kg serve --workers N` (uvicorn's factory, `api.app:app_from_env`): its
    Settings read from the environment (DCIKG_*), which the parent set for every worker."""
    from api.server import die_with_parent

    die_with_parent()
    return create_app(Settings())
