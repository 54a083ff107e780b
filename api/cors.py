"""CORS on the SPARQL endpoint only, so that a query editor (YASGUI) or a notebook served from another origin
can read /sparql; no other route answers CORS.

/sparql is read-only (updates are refused), and no route of the API reads a cookie for its rights: a caller
is who its `Authorization: Bearer` header says. Credentials mode (`Access-Control-Allow-Credentials`) is never
answered, so a page cannot make a browser send anything ambient. With `*` (the default, as Fuseki and
Oxigraph do), any page reads what an anonymous caller reads, and a preflight asking for `Authorization` is
refused; with a list of origins (DCIKG_CORS_ORIGINS), those pages may also send a bearer token they hold.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PATHS = frozenset({"/sparql"})
METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
# what a client may read besides the CORS-safelisted headers: the row and byte caps, whether the answer was cut
EXPOSED = ["DCIKG-Row-Cap", "DCIKG-Result-Byte-Cap", "DCIKG-Truncated", "Retry-After"]


class SparqlCors:
    """Starlette's CORSMiddleware, on the paths of PATHS only."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        anyone = "*" in origins
        headers = ["Accept", "Content-Type"] if anyone else ["Accept", "Content-Type", "Authorization"]
        self.cors = (
            CORSMiddleware(
                app,
                allow_origins=["*"] if anyone else origins,
                allow_methods=METHODS,
                allow_headers=headers,
                expose_headers=EXPOSED,
                allow_credentials=False,
                max_age=600,
            )
            if origins
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cors is not None and scope["type"] == "http" and scope["path"] in PATHS:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
