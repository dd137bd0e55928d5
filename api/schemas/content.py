"""Content items, batches, jobs, previews and usage."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator

from api.schemas.common import InputSchema, Schema
from api.schemas.influencers import TimeOfDay, check_grade

BatchStatus = Literal["queued", "running", "completed", "partially_failed", "failed", "cancelled"]
JobStatus = Literal["queued", "running", "completed", "failed"]


class ContentVersion(Schema):
    caption: str
    hashtags: list[str]
    media_url: str | None = None
    prompt: str = ""
    seed: int = 0
    replaced_at: datetime


class ContentOut(Schema):
    id: str
    status: str
    source: Literal["generated", "manual"]
    profile_id: str | None
    influencer_id: str | None
    batch_id: str | None
    caption: str
    hashtags: list[str]
    media_url: str | None
    media_type: str
    width: int | None
    height: int | None
    prompt: str
    plan: dict[str, Any]
    revision: int
    history: list[ContentVersion]
    rejection_reason: str | None
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None
    rejected_at: datetime | None


class ContentUpdate(InputSchema):
    caption: str | None = Field(None, min_length=1, max_length=2200)
    hashtags: list[str] | None = Field(None, max_length=30)

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, tags: list[str] | None) -> list[str] | None:
        if tags is None:
            return None
        cleaned = [t.strip().lstrip("#") for t in tags]
        if any(not t or " " in t or len(t) > 100 for t in cleaned):
            raise ValueError("hashtags are single words of 1..100 characters")
        return cleaned


class RejectBody(InputSchema):
    reason: str = Field(min_length=1, max_length=1000)


class GenerateBody(InputSchema):
    profile_id: str = Field(min_length=1, max_length=40)
    count: int = Field(ge=1, le=100)
    influencer_id: str | None = Field(None, max_length=40)
    mood: str | None = Field(None, min_length=1, max_length=100)
    setting: str | None = Field(None, min_length=1, max_length=200)
    time_of_day: TimeOfDay | None = None
    content_direction_id: str | None = Field(None, max_length=40)
    aesthetic_grade: str | None = None

    _grade = field_validator("aesthetic_grade")(check_grade)


class PreviewsBody(InputSchema):
    count: int = Field(3, ge=1, le=8)
    aesthetic_grade: str | None = None

    _grade = field_validator("aesthetic_grade")(check_grade)


class FineTuneBody(InputSchema):
    instruction: str | None = Field(None, max_length=500, description="e.g. 'shorter, add a question'")


class WardrobeBody(InputSchema):
    count: int = Field(6, ge=1, le=30)
    save: bool = Field(True, description="Append the items to the ingredient library")


class DirectionsDraftBody(InputSchema):
    prompt: str = Field(min_length=1, max_length=2000)
    count: int = Field(3, ge=1, le=10)
    save: bool = Field(False, description="Append the drafts to the profile's content directions")


class BatchItemOut(Schema):
    position: int
    status: Literal["pending", "running", "completed", "failed", "cancelled"]
    result_id: str | None
    media_url: str | None
    error_code: str | None
    error: str | None


class BatchCounts(Schema):
    total: int
    completed: int
    failed: int
    cancelled: int
    pending: int
    running: int


class BatchOut(Schema):
    id: str
    kind: Literal["content", "references", "previews"]
    status: BatchStatus
    counts: BatchCounts
    influencer_id: str | None
    profile_id: str | None
    params: dict[str, Any]
    workflow_id: str
    run_id: str | None
    error: str | None
    items: list[BatchItemOut]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobOut(Schema):
    id: str
    kind: str
    status: JobStatus
    subject_id: str | None
    result: dict[str, Any] | None
    error: str | None
    workflow_id: str
    created_at: datetime
    finished_at: datetime | None


class PreviewOut(Schema):
    id: str
    influencer_id: str
    batch_id: str
    prompt: str
    seed: int
    aesthetic_grade: str
    media_url: str
    adopted: bool
    created_at: datetime


class UsageRow(Schema):
    day: date
    action: str
    count: int
    units: int
    amount: Decimal


class UsageSummary(Schema):
    currency: str
    total: Decimal
    by_action: dict[str, Decimal]
    days: list[UsageRow]
