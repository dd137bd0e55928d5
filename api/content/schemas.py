"""Content items: the read model, caption edits, rejection, and the bodies that start generation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool, field_validator

from api.influencers.schemas import GradeId, check_grade
from contracts.video import VideoParams
from core.wire import InputSchema, Schema
from domain.content_history import plan_of, versions_of
from domain.video import MEDIA_TYPE_VIDEO, AspectRatio, Motion, Pace, VideoAsset
from domain.vocabulary import TimeOfDay
from providers.storage.base import MediaStorage
from store.models import ContentItem

# One word, with or without its "#", which is dropped on the way in.
Hashtag = Annotated[str, Field(pattern=r"^#?[^\s#\x00]{1,100}$")]


class ContentVersion(Schema):
    caption: str
    hashtags: list[str]
    media_url: str | None = None
    prompt: str = ""
    seed: int = 0
    replaced_at: datetime


class VideoOut(Schema):
    url: str
    poster_url: str
    width: int
    height: int
    duration_seconds: float
    size_bytes: int
    codec: str
    content_type: str


class ContentOut(Schema):
    id: str
    status: str
    source: Literal["generated", "manual"]
    profile_id: str | None
    influencer_id: str | None
    influencer_ids: list[str] = Field(
        description="Everyone the item shows: every member of a collaboration item, else its one influencer"
    )
    collaboration_id: str | None = None
    batch_id: str | None
    caption: str
    hashtags: list[str]
    media_url: str | None
    media_type: str = Field(description="`video` once the item has a video, else its image's MIME type")
    video: VideoOut | None = Field(None, description="The item's video, once one was rendered or selected")
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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"caption": "Sunday light over the Seine", "hashtags": ["paris", "#goldenhour"]}]
        }
    )

    caption: str | None = Field(None, min_length=1, max_length=2200)
    hashtags: list[Hashtag] | None = Field(None, max_length=30)

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, tags: list[str] | None) -> list[str] | None:
        if tags is None:
            return None
        return [t.lstrip("#") for t in tags]


class RejectBody(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Hands look wrong; regenerate"}]})

    reason: str | None = Field(None, min_length=1, max_length=1000, description="Optional; kept on the item")


class GenerateBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "profileId": "prof_3k9x2m7q1w8e5r4t",
                    "count": 5,
                    "mood": "playful",
                    "setting": "rooftop bar",
                    "timeOfDay": "evening",
                    "aestheticGrade": "golden_hour",
                }
            ]
        }
    )

    profile_id: str = Field(min_length=1, max_length=40)
    count: int = Field(ge=1, le=100)
    influencer_id: str | None = Field(None, max_length=40)
    mood: str | None = Field(None, min_length=1, max_length=100)
    setting: str | None = Field(None, min_length=1, max_length=200)
    time_of_day: TimeOfDay | None = None
    content_direction_id: str | None = Field(None, max_length=40)
    aesthetic_grade: GradeId | None = None

    _grade = field_validator("aesthetic_grade")(check_grade)


class VideoOptions(InputSchema):
    duration_seconds: int = Field(6, ge=3, le=15)
    aspect_ratio: AspectRatio = "9:16"
    motion: Motion = "zoom_in"
    pace: Pace = "normal"
    hook_text: str | None = Field(None, min_length=1, max_length=120, description="Text shown over the opening")
    caption_overlay: StrictBool = Field(False, description="Show the item's caption over the video")

    def params(self) -> VideoParams:
        return VideoParams(**self.model_dump())


class VideoBody(VideoOptions):
    """Every field is optional, and so is the body."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "durationSeconds": 8,
                    "aspectRatio": "9:16",
                    "motion": "zoom_in",
                    "pace": "normal",
                    "hookText": "Wait for the view",
                    "captionOverlay": True,
                }
            ]
        }
    )


class FineTuneBody(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"instruction": "shorter, add a question"}]})

    instruction: str | None = Field(None, max_length=500, description="e.g. 'shorter, add a question'")


def video_out(stored: dict[str, Any] | None, storage: MediaStorage) -> VideoOut | None:
    """A stored ``VideoAsset`` as the wire shows it: URLs instead of storage keys."""
    if not stored:
        return None
    asset = VideoAsset.model_validate(stored)
    return VideoOut(
        url=storage.url(asset.media_key),
        poster_url=storage.url(asset.poster_key),
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
        size_bytes=asset.size_bytes,
        codec=asset.codec,
        content_type=asset.content_type,
    )


def content_out(item: ContentItem, storage: MediaStorage) -> ContentOut:
    return ContentOut(
        id=item.id,
        status=item.status,
        source=item.source,
        profile_id=item.profile_id,
        influencer_id=item.influencer_id,
        influencer_ids=list(item.member_ids or []) or ([item.influencer_id] if item.influencer_id else []),
        collaboration_id=item.collaboration_id,
        batch_id=item.batch_id,
        caption=item.caption,
        hashtags=list(item.hashtags or []),
        media_url=storage.url(item.media_key) if item.media_key else None,
        media_type=MEDIA_TYPE_VIDEO if item.video else item.media_type,
        video=video_out(item.video, storage),
        width=item.width,
        height=item.height,
        prompt=item.prompt,
        plan=plan_of(item).model_dump(mode="json", by_alias=True),
        revision=item.revision,
        history=[
            ContentVersion(
                caption=version.caption,
                hashtags=version.hashtags,
                media_url=storage.url(version.media_key) if version.media_key else None,
                prompt=version.prompt,
                seed=version.seed,
                replaced_at=version.replaced_at,
            )
            for version in versions_of(item)
        ],
        rejection_reason=item.rejection_reason,
        created_at=item.created_at,
        updated_at=item.updated_at,
        approved_at=item.approved_at,
        rejected_at=item.rejected_at,
    )
