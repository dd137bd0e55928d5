"""Video comparisons on the wire: the body that starts one, the comparison with its variants, the pick."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, field_validator

from api.content.schemas import VideoOptions, VideoOut, video_out
from contracts.experiments import ExperimentRecord
from core.wire import InputSchema, Schema
from domain.experiments import WINDOW_PATTERN, ExperimentStatus, parse_window
from domain.video import ComparisonStatus, VariantStatus, VariedField
from providers.storage.base import MediaStorage
from store.models import VideoComparison


def _default_vary() -> list[VariedField]:
    return ["motion"]


class VideoComparisonBody(VideoOptions):
    """The options every variant starts from; the fields named in ``vary`` differ between variants."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"variants": 2, "vary": ["motion", "hookText"], "durationSeconds": 6}]}
    )

    variants: int = Field(2, ge=2, le=4, description="How many variants, labelled A, B, C, D")
    vary: list[VariedField] = Field(
        default_factory=_default_vary, min_length=1, max_length=4, description="What differs between variants"
    )

    @field_validator("vary")
    @classmethod
    def _unique(cls, vary: list[VariedField]) -> list[VariedField]:
        return list(dict.fromkeys(vary))


class SelectVariantBody(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"variantId": "vvar_3k9x2m7q1w8e5r4t"}]})

    variant_id: str = Field(min_length=1, max_length=40)


class ExperimentBody(InputSchema):
    """Publish the finished variants to these accounts (round robin; variants sharing an account go out a
    window apart) and keep the one with the higher engagement rate after ``window``."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"accountIds": ["acc_3k9x2m7q1w8e5r4t"], "window": "48h"}]}
    )

    account_ids: list[str] = Field(
        min_length=1,
        max_length=4,
        description="Connected accounts to publish to",
        json_schema_extra={"uniqueItems": True},
    )
    window: str = Field(
        pattern=WINDOW_PATTERN, description="How long each variant runs before it is measured: e.g. 90m, 48h, 7d"
    )

    @field_validator("account_ids")
    @classmethod
    def _distinct(cls, account_ids: list[str]) -> list[str]:
        if len(set(account_ids)) != len(account_ids):
            raise ValueError("accounts must be distinct")
        return account_ids

    @field_validator("window")
    @classmethod
    def _bounded(cls, window: str) -> str:
        parse_window(window)
        return window

    @property
    def window_seconds(self) -> int:
        return int(parse_window(self.window).total_seconds())


class TrialOut(Schema):
    variant_id: str
    label: str
    account_id: str
    wave: int
    publication_id: str | None
    platform_post_id: str | None
    published_at: datetime | None
    measured_at: datetime | None
    impressions: int | None
    views: int | None
    engagements: int | None
    engagement_rate: float | None
    error: str | None


class ExperimentOut(Schema):
    status: ExperimentStatus
    window_seconds: int
    trials: list[TrialOut]
    winner_variant_id: str | None
    error: str | None
    started_at: datetime
    decided_at: datetime | None


def experiment_out(stored: dict[str, Any] | None) -> ExperimentOut | None:
    if stored is None:
        return None
    record = ExperimentRecord.model_validate(stored)
    return ExperimentOut(
        status=record.status,
        window_seconds=record.window_seconds,
        trials=[
            TrialOut.model_validate({**trial.model_dump(), "account_id": trial.social_account_id})
            for trial in record.trials
        ],
        winner_variant_id=record.winner_variant_id,
        error=record.error,
        started_at=record.started_at,
        decided_at=record.decided_at,
    )


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
    experiment: ExperimentOut | None = Field(
        default=None, description="The A/B experiment run on the variants, with each one's figures and the winner"
    )


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
        experiment=experiment_out(comparison.experiment),
    )
