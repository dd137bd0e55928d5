"""The calendar's entries: scheduled publishes, published posts and upcoming campaign slots, each at its UTC
instant and in its profile's local time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from core.wire import Schema


class CalendarEntryKind(StrEnum):
    SCHEDULED_PUBLISH = "scheduled_publish"
    PUBLISHED_POST = "published_post"
    CAMPAIGN_SLOT = "campaign_slot"


class CalendarEntry(Schema):
    kind: CalendarEntryKind
    at: datetime = Field(description="UTC")
    local: datetime = Field(description="The same instant in the profile's timezone")
    profile_id: str | None
    content_id: str | None = None
    publication_id: str | None = None
    account_id: str | None = Field(None, description="The connected social account")
    platform: str | None = None
    url: str | None = None
    campaign_id: str | None = None


class CalendarOut(Schema):
    start: datetime = Field(serialization_alias="from")
    end: datetime = Field(serialization_alias="to")
    data: list[CalendarEntry]
