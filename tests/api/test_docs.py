"""The docs work offline (every asset served by us, no external host), operation ids read as verbs,
and a 405 names every method its path accepts."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, get_args

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import BaseModel

from api.app import create_app, iter_api_routes
from core.settings import Settings

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
        # A fixed path is its own resource, not an id of /content/{content_id}.
        ("OPTIONS", "/api/v1/content/generate", "POST"),
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


# The campaigns resource belongs to another change in flight; its bodies get their examples there.
def json_body_examples(schema: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples a reader of the docs sees for one JSON body: on the media type, or on the (referenced)
    body schema, which FastAPI wraps in anyOf [model, null] when the body is optional."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [example["value"] for example in media["examples"].values()]
    body = media["schema"]
    for candidate in [body, *body.get("anyOf", [])]:
        if "$ref" in candidate:
            model = schema["components"]["schemas"][candidate["$ref"].rsplit("/", 1)[-1]]
            return list(model.get("examples", []))
    return list(body.get("examples", []))


async def test_every_json_request_body_has_an_example_that_fits_its_schema(http: httpx.AsyncClient) -> None:
    schema = (await http.get("/openapi.json")).json()
    bodies = {
        (method.upper(), path): operation["requestBody"]["content"]["application/json"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    assert len(bodies) >= 30, sorted(bodies)
    missing = sorted(route for route, media in bodies.items() if not json_body_examples(schema, media))
    assert missing == []
    # Validated against the published schema itself, refs resolved inside the whole document.
    for route, media in bodies.items():
        validator = Draft202012Validator({**schema, **media["schema"]}, format_checker=FormatChecker())
        for example in json_body_examples(schema, media):
            errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(example)]
            assert errors == [], (route, example)


def test_every_body_example_is_accepted_by_its_model() -> None:
    """The schema cannot say everything a model checks (a grade id, one image of three): each example also
    passes the model's own validation, so a client that copies it gets past the 422."""
    checked = []
    for path, route in iter_api_routes(create_app(Settings(sandbox_enabled=True))):
        if route.body_field is None:
            continue
        annotation = route.body_field.field_info.annotation
        models = [t for t in (annotation, *get_args(annotation)) if isinstance(t, type) and issubclass(t, BaseModel)]
        for model in models:
            extra = model.model_config.get("json_schema_extra")
            examples = extra.get("examples") if isinstance(extra, dict) else None
            for example in examples if isinstance(examples, list) else []:
                model.model_validate(example)
                checked.append((path, model.__name__))
    assert len(checked) >= 31, checked
