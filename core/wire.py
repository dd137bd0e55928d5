"""The JSON wire conventions every HTTP surface of ours shares (the API and the embedded sandbox
platform): camelCase on the wire, snake_case in Python, unknown input fields refused, one list envelope."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class Schema(BaseModel):
    """camelCase on the wire, snake_case in Python; reads straight from ORM rows."""

    # Responses are rendered by alias (FastAPI's default); model_dump() in services stays snake_case.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class InputSchema(Schema):
    """Request bodies refuse unknown fields, so a typo is a 422 instead of a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class ListResponse(Schema, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page; null on the last")
