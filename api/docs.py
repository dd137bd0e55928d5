"""Interactive docs that work offline: Swagger UI and ReDoc served from the assets that ship inside
the ``fastapi_offline`` wheel, never from a CDN, and operation ids that read as verbs (``listInfluencers``)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic.alias_generators import to_camel

DOCS_ASSETS_PATH = "/docs-assets"
_ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"


def operation_id(route: APIRoute) -> str:
    """``list_influencers`` → ``listInfluencers``: the endpoint function's name is the operation's name,
    so a generated client reads like the API's own vocabulary."""
    return to_camel(route.name)


def install_offline_docs(app: FastAPI, title: str) -> None:
    """``/docs`` and ``/redoc`` pages whose scripts, styles and icon come from ``/docs-assets``."""
    app.mount(DOCS_ASSETS_PATH, StaticFiles(directory=_ASSETS_DIR), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} - Swagger UI",
            swagger_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_PATH}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        # ReDoc's page would otherwise pull its fonts from Google; the system fonts serve as well offline.
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} - ReDoc",
            redoc_js_url=f"{DOCS_ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
