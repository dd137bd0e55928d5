"""Bodies of the /characters operations."""

from __future__ import annotations

from pydantic import ConfigDict, Field, StrictBool

from core.wire import InputSchema


class WardrobeBody(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 6, "save": True}]})

    count: int = Field(6, ge=1, le=30)
    save: StrictBool = Field(True, description="Append the items to the ingredient library")
