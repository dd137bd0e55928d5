"""Contracts of short generation jobs: regenerate, fine-tune a caption, wardrobe, photo analysis, directions.

Each job's result is a typed model. The worker stores it snake_case (``model_dump``); the API turns it
into camelCase at its edge. Results also validate from camelCase, the form stored and recorded in
histories before results were typed, so old job rows and old workflow histories still read."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AliasGenerator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from contracts.base import Contract
from contracts.generation import GeneratedCaption, ItemPlan, RenderedMedia
from domain.content import ContentStatus
from domain.jobs import JobStatus
from domain.vocabulary import WardrobeCategory

REGENERATE_WORKFLOW = "RegenerateContentWorkflow"
FINE_TUNE_CAPTION_WORKFLOW = "FineTuneCaptionWorkflow"
WARDROBE_WORKFLOW = "WardrobeGenerationWorkflow"
ANALYZE_PHOTOS_WORKFLOW = "AnalyzePhotosWorkflow"
CONTENT_DIRECTIONS_WORKFLOW = "ContentDirectionsDraftWorkflow"
VOICE_CAPTION_WORKFLOW = "VoiceCaptionWorkflow"


def job_workflow_id(kind: str, job_id: str) -> str:
    return f"{kind.replace('_', '-')}-{job_id}"


class ResultContract(Contract):
    """Serialised by field name; read by field name or by its camelCase alias."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=AliasGenerator(validation_alias=to_camel), populate_by_name=True
    )


class RegenerationResult(ResultContract):
    kind: Literal["regenerate"] = "regenerate"
    content_id: str
    revision: int


class CaptionTuned(ResultContract):
    kind: Literal["fine_tune_caption"] = "fine_tune_caption"
    content_id: str
    caption: str
    hashtags: list[str] = []


class WardrobeItem(ResultContract):
    name: str
    category: WardrobeCategory
    description: str = ""
    colors: list[str] = []


class WardrobeGenerated(ResultContract):
    kind: Literal["wardrobe"] = "wardrobe"
    items: list[WardrobeItem]
    saved: bool


class PhotoFeatures(ResultContract):
    width: int
    height: int
    aspect_ratio: float
    orientation: str
    brightness: float
    contrast: float
    saturation: float
    dominant_colors: list[str]
    color_names: list[str] = []


class PhotosAnalysed(ResultContract):
    kind: Literal["analyze_photos"] = "analyze_photos"
    photos: list[PhotoFeatures]
    base_prompt: str
    wardrobe_suggestions: list[WardrobeItem]


class DraftedDirection(ResultContract):
    id: str
    title: str
    description: str
    moods: list[str] = []
    settings: list[str] = []
    hashtags: list[str] = []


class DirectionsDrafted(ResultContract):
    kind: Literal["content_directions"] = "content_directions"
    directions: list[DraftedDirection]
    saved: bool


class VideoRendered(ResultContract):
    """The finished video job; the item itself (``GET /content/{id}``) carries the video's URLs."""

    kind: Literal["video"] = "video"
    content_id: str
    width: int
    height: int
    duration_seconds: float
    size_bytes: int
    codec: str = "h264"


class WrittenCaption(ResultContract):
    text: str
    hashtags: list[str] = []


class GroundingSample(ResultContract):
    id: str
    text: str
    source: str
    similarity: float


class CaptionsGenerated(ResultContract):
    kind: Literal["voice_caption"] = "voice_caption"
    captions: list[WrittenCaption]
    grounding: list[GroundingSample]
    image_description: str
    voice_match: float


JobResult = Annotated[
    RegenerationResult
    | CaptionTuned
    | WardrobeGenerated
    | PhotosAnalysed
    | DirectionsDrafted
    | VideoRendered
    | CaptionsGenerated,
    Field(discriminator="kind"),
]


class JobOutcome(Contract):
    job_id: str
    status: Literal[JobStatus.COMPLETED, JobStatus.FAILED]
    result: JobResult | None = None
    error: str | None = None


class RegenerateInput(Contract):
    job_id: str
    account_id: str
    content_id: str
    heartbeat_timeout_seconds: int = Field(default=10, ge=1, description="heartbeat timeout of render and caption")


class RegenerationPlan(Contract):
    plan: ItemPlan
    revision: int
    previous_status: ContentStatus


class RegenerationDone(Contract):
    job_id: str
    content_id: str
    media: RenderedMedia
    plan: ItemPlan
    caption: GeneratedCaption


class RegenerationAborted(Contract):
    job_id: str
    content_id: str
    previous_status: ContentStatus
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


class VoiceCaptionInput(Contract):
    job_id: str
    account_id: str
    profile_id: str
    image_key: str | None = Field(default=None, description="Storage key of the image to describe")
    content_id: str | None = None
    instruction: str | None = None
    platform: str | None = None
    count: int = Field(default=1, ge=1, le=3)
