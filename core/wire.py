"""The JSON wire conventions every HTTP surface of ours shares (the API and the embedded sandbox
platform): camelCase on the wire, snake_case in Python, unknown input fields refused, no NUL in input text,
one list envelope."""

from __future__ import annotations

import re
from datetime import date, datetime
from types import NoneType, UnionType
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

T = TypeVar("T")


class Schema(BaseModel):
    """camelCase on the wire, snake_case in Python; reads straight from ORM rows."""

    # Responses are rendered by alias (FastAPI's default); model_dump() in services stays snake_case.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


# PostgreSQL text cannot hold NUL: refused on the way in (a 422 on the field, not a 500 at the insert), and
# said in the schema of every free-text string.
NO_NUL_PATTERN = r"^[^\x00]*$"


def _contains_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    return False


def _say_no_nul(schema: dict[str, Any]) -> None:
    """Add the NUL rule to each plain string in a field's schema (other models are refs and say it themselves)."""
    if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & schema.keys():
        schema["pattern"] = NO_NUL_PATTERN
    for nested in [*schema.get("anyOf", []), schema.get("items"), schema.get("additionalProperties")]:
        if isinstance(nested, dict):
            _say_no_nul(nested)


def _is_number_field(annotation: Any) -> bool:
    """``int`` or ``float`` (optional or not): a number field, which the schema calls integer or number."""
    if annotation in (int, float):
        return True
    if get_origin(annotation) in (Union, UnionType):
        members = [arg for arg in get_args(annotation) if arg is not NoneType]
        return len(members) == 1 and _is_number_field(members[0])
    return False


class InputSchema(Schema):
    """Request bodies refuse unknown fields, so a typo is a 422 instead of a silent no-op; a number field takes
    only a JSON number, as its schema says (pydantic's lax mode would read ``"5"`` and ``true`` as numbers)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, str | bool) and field is not None and _is_number_field(field.annotation):
            raise ValueError("expected a JSON number")
        return value

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _contains_nul(value):
            raise ValueError("text must not contain NUL (\\u0000)")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        for field in handler.resolve_ref_schema(schema).get("properties", {}).values():
            _say_no_nul(field)
        return schema


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
