"""Bodies and presenters of a profile's written voice: its corpus stats, manual samples and grounded
captions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, HttpUrl, model_validator

from core.wire import InputSchema, Instant, Schema
from domain.voice import CorpusSource
from domain.voice_style import CorpusStats
from store.models import VoiceCorpusSample

CaptionPlatform = Literal["x", "tiktok", "instagram", "sandbox"]


class ManualSample(InputSchema):
    text: str = Field(min_length=1, max_length=2200)
    posted_at: Instant | None = None


class ManualSamplesBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "samples": [
                        {"text": "Golden hour in Alfama never gets old ☀️ #lisbon", "postedAt": "2026-03-01T18:30:00Z"}
                    ]
                }
            ]
        }
    )

    samples: list[ManualSample] = Field(min_length=1, max_length=100)


class GenerateCaptionBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "contentId": "cnt_3k9x2m7q1w8e5r4t",
                    "instruction": "short and playful",
                    "platform": "instagram",
                    "count": 2,
                }
            ]
        }
    )

    image_url: HttpUrl | None = Field(default=None, description="An image to caption, fetched server-side")
    media_id: str | None = Field(default=None, description="An image of the profile's media library")
    content_id: str | None = Field(default=None, description="A content item whose image to caption")
    instruction: str | None = Field(default=None, max_length=500)
    platform: CaptionPlatform | None = Field(default=None, description="Keep within this platform's length limit")
    count: int = Field(default=1, ge=1, le=3)

    @model_validator(mode="after")
    def _one_image(self) -> GenerateCaptionBody:
        given = [v for v in (self.image_url, self.media_id, self.content_id) if v]
        if len(given) != 1:
            raise ValueError("give exactly one of imageUrl, mediaId or contentId")
        return self


class RecentSample(Schema):
    text: str
    source: CorpusSource
    platform: str | None = None
    posted_at: datetime | None = None


class Counted(Schema):
    value: str
    count: int


class HourCount(Schema):
    hour: int = Field(description="Hour of the day, UTC")
    count: int


class StyleStats(Schema):
    mean_length: float
    median_length: float
    emoji_per_post: float
    hashtags_per_post: float
    top_hashtags: list[Counted]
    question_share: float
    top_phrases: list[Counted]
    posting_hours: list[HourCount]


class VoiceStatsOut(Schema):
    profile_id: str
    sample_count: int
    by_source: dict[CorpusSource, int]
    recent_samples: list[RecentSample]
    stats: StyleStats


def voice_stats_out(
    profile_id: str, counts: dict[str, int], samples: Sequence[VoiceCorpusSample], stats: CorpusStats
) -> VoiceStatsOut:
    return VoiceStatsOut(
        profile_id=profile_id,
        sample_count=sum(counts.values()),
        by_source={source: counts.get(source.value, 0) for source in CorpusSource},
        recent_samples=[
            RecentSample(text=s.text, source=CorpusSource(s.source), platform=s.platform, posted_at=s.posted_at)
            for s in samples[:10]
        ],
        stats=StyleStats(
            mean_length=stats.mean_length,
            median_length=stats.median_length,
            emoji_per_post=stats.emoji_per_post,
            hashtags_per_post=stats.hashtags_per_post,
            top_hashtags=[Counted(value=v, count=c) for v, c in stats.top_hashtags],
            question_share=stats.question_share,
            top_phrases=[Counted(value=v, count=c) for v, c in stats.top_phrases],
            posting_hours=[HourCount(hour=h, count=c) for h, c in stats.posting_hours],
        ),
    )
