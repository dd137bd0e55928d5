"""The docs work offline (every asset served by us, no external host), operation ids read as verbs,
and a 405 names every method its path accepts."""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest

ASSET_REFERENCE = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'"\s)>]+)""")
EXTERNAL_HOST = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_page_names_no_external_host_and_serves_every_asset(http: httpx.AsyncClient, page: str) -> None:
    response = await http.get(page)
    assert response.status_code == 200
    html = response.text
    assert not EXTERNAL_HOST.findall(html), EXTERNAL_HOST.findall(html)
    assets = [ref for ref in ASSET_REFERENCE.findall(html) if ref.startswith("/")]
    assert "/openapi.json" in html
    scripts = [ref for ref in assets if ref.endswith(".js")]
    assert scripts, html
    for asset in assets:
        served = await http.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 1000, asset


async def test_swagger_assets_have_their_content_types(http: httpx.AsyncClient) -> None:
    script = await http.get("/docs-assets/swagger-ui-bundle.js")
    style = await http.get("/docs-assets/swagger-ui.css")
    assert "javascript" in script.headers["content-type"]
    assert style.headers["content-type"].startswith("text/css")


async def test_operation_ids_are_unique_camel_case_verbs(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/openapi.json")).json()
    ids = [operation["operationId"] for path in schema["paths"].values() for operation in path.values()]
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    assert all(re.fullmatch(r"[a-z][a-zA-Z0-9]*", name) for name in ids), ids
    by_route = {
        (method.upper(), path): operation["operationId"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert by_route[("GET", "/api/v1/influencers")] == "listInfluencers"
    assert by_route[("POST", "/api/v1/content/generate")] == "generateContent"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/api/v1/content", "GET, POST"),
        ("DELETE", "/api/v1/influencers", "GET, POST"),
        ("POST", "/api/v1/influencers/inf_x", "DELETE, GET, PUT"),
        ("PUT", "/api/v1/content/cnt_x", "DELETE, GET, PATCH"),
    ],
)
async def test_method_not_allowed_names_every_method_of_the_path(
    http: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await http.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert allowed in error["message"]


async def test_every_202_documents_its_body(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/openapi.json")).json()
    accepted = {
        (method.upper(), path): operation["responses"]["202"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "202" in operation["responses"]
    }
    assert ("POST", "/api/v1/content/{content_id}/regenerate") in accepted
    undocumented = [route for route, answer in accepted.items() if "application/json" not in answer.get("content", {})]
    assert undocumented == []
