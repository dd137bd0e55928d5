"""Preview looks of an influencer: the read model and the body that asks for some."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field, field_validator

from api.influencers.schemas import GradeId, check_grade
from core.wire import InputSchema, Schema
from providers.storage.base import MediaStorage
from store.models import Preview


class PreviewsBody(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 4, "aestheticGrade": "natural"}]})

    count: int = Field(3, ge=1, le=8)
    aesthetic_grade: GradeId | None = None

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


def preview_out(preview: Preview, storage: MediaStorage) -> PreviewOut:
    return PreviewOut(
        id=preview.id,
        influencer_id=preview.influencer_id,
        batch_id=preview.batch_id,
        prompt=preview.prompt,
        seed=preview.seed,
        aesthetic_grade=preview.aesthetic_grade,
        media_url=storage.url(preview.media_key),
        adopted=preview.adopted_at is not None,
        created_at=preview.created_at,
    )
