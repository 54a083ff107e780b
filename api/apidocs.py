"""The API documentation pages, served offline: Swagger UI at /docs and ReDoc at /redoc, both from the assets
the fastapi-offline package ships (mounted at /static-offline-docs). ReDoc's sidebar shows a logo from its
makers' CDN; the page's Content-Security-Policy keeps the browser from asking for it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from fastapi_offline import FastAPIOffline

ASSETS = "/static-offline-docs"
FAVICON = "/static/favicon.svg"
REDOC_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:"
)


def offline_app(**kwargs) -> FastAPI:
    """A FastAPI app whose /docs and /redoc need no outside host."""
    app = FastAPIOffline(redoc_url=None, favicon_url=FAVICON, static_url=ASSETS, **kwargs)

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{FAVICON}",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = REDOC_POLICY
        return page

    return app
