"""Video comparisons on the wire: the body that starts one, the comparison with its variants, the pick."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from api.content.schemas import VideoOptions, VideoOut, video_out
from core.wire import InputSchema, Schema
from domain.video import ComparisonStatus, VariantStatus, VariedField
from providers.storage.base import MediaStorage
from store.models import VideoComparison


def _default_vary() -> list[VariedField]:
    return ["motion"]


class VideoComparisonBody(VideoOptions):
    """The options every variant starts from; the fields named in ``vary`` differ between variants."""

    variants: int = Field(2, ge=2, le=4, description="How many variants, labelled A, B, C, D")
    vary: list[VariedField] = Field(
        default_factory=_default_vary, min_length=1, max_length=4, description="What differs between variants"
    )

    @field_validator("vary")
    @classmethod
    def _unique(cls, vary: list[VariedField]) -> list[VariedField]:
        return list(dict.fromkeys(vary))


class SelectVariantBody(InputSchema):
    variant_id: str = Field(min_length=1, max_length=40)


class VariantParamsOut(Schema):
    duration_seconds: int
    aspect_ratio: str
    motion: str
    pace: str
    hook_text: str | None
    caption_overlay: bool


class VariantOut(Schema):
    id: str
    label: str
    params: VariantParamsOut
    status: VariantStatus
    video: VideoOut | None
    error: str | None


class VideoComparisonOut(Schema):
    id: str
    content_id: str
    status: ComparisonStatus
    vary: list[str]
    variants: list[VariantOut]
    selected_variant_id: str | None
    error: str | None
    workflow_id: str
    created_at: datetime
    finished_at: datetime | None


def comparison_out(comparison: VideoComparison, storage: MediaStorage) -> VideoComparisonOut:
    return VideoComparisonOut(
        id=comparison.id,
        content_id=comparison.content_id,
        status=ComparisonStatus(comparison.status),
        vary=list(comparison.params.get("vary", [])),
        variants=[
            VariantOut(
                id=variant.id,
                label=variant.label,
                params=VariantParamsOut.model_validate(variant.params),
                status=VariantStatus(variant.status),
                video=video_out(variant.video, storage),
                error=f"{variant.error_code}: {variant.error}" if variant.error else None,
            )
            for variant in comparison.variants
        ],
        selected_variant_id=comparison.selected_variant_id,
        error=comparison.error,
        workflow_id=comparison.workflow_id,
        created_at=comparison.created_at,
        finished_at=comparison.finished_at,
    )
