"""Contracts of the A/B experiment of a video comparison: the workflow's name and id (one per comparison),
its input, the steps' inputs and results, and the record kept on the comparison (``experiment`` column)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from contracts.base import Contract
from domain.experiments import ExperimentStatus

VIDEO_EXPERIMENT_WORKFLOW = "VideoExperimentWorkflow"


def experiment_workflow_id(comparison_id: str) -> str:
    return f"experiment-{comparison_id}"


class VariantTrial(Contract):
    """One variant's place in the experiment and, once measured, its figures."""

    variant_id: str
    label: str
    social_account_id: str
    wave: int
    publication_id: str | None = None
    platform_post_id: str | None = None
    published_at: datetime | None = None
    measured_at: datetime | None = None
    impressions: int | None = None
    views: int | None = None
    engagements: int | None = None
    engagement_rate: float | None = None
    error: str | None = None


class ExperimentRecord(Contract):
    status: ExperimentStatus
    window_seconds: int
    trials: list[VariantTrial]
    winner_variant_id: str | None = None
    error: str | None = None
    started_at: datetime
    decided_at: datetime | None = None


class VideoExperimentInput(Contract):
    account_id: str
    comparison_id: str
    content_id: str
    waves: int = Field(ge=1)
    window_seconds: int = Field(ge=60)
    heartbeat_seconds: int = 60


class WaveInput(Contract):
    account_id: str
    comparison_id: str
    content_id: str
    wave: int


class WaveOpened(Contract):
    """The publishing round that carries this wave's variants (None when the item could not be published)."""

    round: int | None = None
    publication_ids: list[str] = Field(default_factory=list)
    error: str | None = None


class DecideInput(Contract):
    account_id: str
    comparison_id: str
    error: str | None = None


class ExperimentResult(Contract):
    comparison_id: str
    status: ExperimentStatus
    winner_variant_id: str | None = None
