"""One JSON error shape for every failure, including FastAPI's own 404/405/422 and unexpected 500s."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.methods import allowed_methods
from api.schemas import ErrorResponse
from core.errors import AppError

logger = logging.getLogger("autopersonas.api")

REQUEST_ID_HEADER = "X-Request-ID"

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "rate_limited",
}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(status_code=status, content=body, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:] or parts
    return ".".join(parts)


def validation_details(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {"field": _field_path(err.get("loc", ())), "message": err.get("msg", ""), "type": err.get("type", "")}
        for err in errors
    ]


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(list(exc.errors()))
    fields = ", ".join(sorted({d["field"] for d in details})) or "request"
    return error_response(422, "validation_error", f"invalid request: {fields}", details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and message == "Not Found":
        message = f"no route for {request.method} {request.url.path}"
    if exc.status_code == 405:
        allowed = allowed_methods(request.app.state.method_table, request.url.path)
        headers["Allow"] = ", ".join(allowed)
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {', '.join(allowed)}"
    # A subclass may carry details (the body cap names its limit); plain HTTPExceptions have none.
    return error_response(exc.status_code, code, message, getattr(exc, "details", None), headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
    logger.exception("request.failed request_id=%s path=%s", request_id, request.url.path)
    return error_response(
        500,
        "internal_error",
        f"internal error; quote request id {request_id} when reporting it",
        None,
        {REQUEST_ID_HEADER: request_id},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


class RequestIdMiddleware:
    """Gives every request an id (or keeps the caller's) and returns it in ``X-Request-ID``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 128 else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "The request body could not be parsed",
        401: "Missing, malformed, unknown or revoked API key",
        403: "The API key lacks the scope this operation needs",
        404: "Resource not found (or owned by another account)",
        422: "Validation failed; details name the fields",
        429: "Rate limit exceeded; see Retry-After",
        500: "Internal error; the X-Request-ID header identifies it in the logs",
    }.items()
}
