"""Preview looks of an influencer: the read model and the body that asks for some."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from api.influencers.schemas import check_grade
from api.schemas import InputSchema, Schema


class PreviewsBody(InputSchema):
    count: int = Field(3, ge=1, le=8)
    aesthetic_grade: str | None = None

    _grade = field_validator("aesthetic_grade")(check_grade)


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
