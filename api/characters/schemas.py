"""Bodies of the /characters operations."""

from __future__ import annotations

from pydantic import Field

from core.wire import InputSchema


class WardrobeBody(InputSchema):
    count: int = Field(6, ge=1, le=30)
    save: bool = Field(True, description="Append the items to the ingredient library")
