"""Contracts of short generation jobs: regenerate, fine-tune a caption, wardrobe, photo analysis, directions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from contracts.base import Contract
from contracts.generation import GeneratedCaption, ItemPlan, RenderedMedia

REGENERATE_WORKFLOW = "RegenerateContentWorkflow"
FINE_TUNE_CAPTION_WORKFLOW = "FineTuneCaptionWorkflow"
WARDROBE_WORKFLOW = "WardrobeGenerationWorkflow"
ANALYZE_PHOTOS_WORKFLOW = "AnalyzePhotosWorkflow"
CONTENT_DIRECTIONS_WORKFLOW = "ContentDirectionsDraftWorkflow"

JobKind = Literal["regenerate", "fine_tune_caption", "wardrobe", "analyze_photos", "content_directions"]


def job_workflow_id(kind: str, job_id: str) -> str:
    return f"{kind.replace('_', '-')}-{job_id}"


class JobOutcome(Contract):
    job_id: str
    status: Literal["completed", "failed"]
    result: dict[str, Any] | None = None
    error: str | None = None


class RegenerateInput(Contract):
    job_id: str
    account_id: str
    content_id: str


class RegenerationPlan(Contract):
    plan: ItemPlan
    revision: int
    previous_status: str


class RegenerationDone(Contract):
    job_id: str
    content_id: str
    media: RenderedMedia
    plan: ItemPlan
    caption: GeneratedCaption


class RegenerationAborted(Contract):
    job_id: str
    content_id: str
    previous_status: str
    revision: int
    error: str


class FineTuneCaptionInput(Contract):
    job_id: str
    account_id: str
    content_id: str
    instruction: str | None = None


class WardrobeInput(Contract):
    job_id: str
    account_id: str
    influencer_id: str
    count: int = Field(ge=1, le=30)
    save: bool = True


class AnalyzePhotosInput(Contract):
    job_id: str
    account_id: str
    media_keys: list[str] = Field(min_length=1)
    content_types: list[str]
    influencer_id: str | None = None


class ContentDirectionsInput(Contract):
    job_id: str
    account_id: str
    profile_id: str
    prompt: str
    count: int = Field(ge=1, le=10)
    save: bool = False
