"""The API's error body; the shared wire bases (``Schema``, ``InputSchema``, ``ListResponse``) are in
``core.wire``, which the embedded sandbox platform uses too."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.wire import Schema


class ErrorBody(Schema):
    code: str = Field(description="Machine-readable error code, e.g. not_found, validation_error")
    message: str
    details: Any = None


class ErrorResponse(Schema):
    error: ErrorBody
