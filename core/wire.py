"""The JSON wire conventions every HTTP surface of ours shares (the API and the embedded sandbox
platform): camelCase on the wire, snake_case in Python, unknown input fields refused, one list envelope."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
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


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    """Pydantic's lax date parsing also reads ``0`` as 1970-01-01; the schema says ``format: date``, so only
    ``YYYY-MM-DD`` is a day here."""
    if (isinstance(value, str) and _ISO_DAY.fullmatch(value)) or isinstance(value, date):
        return value
    raise ValueError("expected a day as YYYY-MM-DD")


def _iso_instant(value: object) -> object:
    """Lax datetime parsing reads ``0`` as the epoch; the schema says ``format: date-time``, so a time is
    ISO 8601 starting with its ``YYYY-MM-DD`` day."""
    if (isinstance(value, str) and _ISO_DAY.match(value)) or isinstance(value, datetime):
        return value
    raise ValueError("expected an ISO 8601 date-time such as 2026-03-01T09:00:00Z")


# Query parameters and body fields alike: pydantic reads 0 as the epoch unless told otherwise.
Day = Annotated[date, BeforeValidator(_iso_day)]
Instant = Annotated[datetime, BeforeValidator(_iso_instant)]
AwareInstant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]
