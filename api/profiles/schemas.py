"""Profiles (AI influencer or managed real-person account) and their content directions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, StrictBool, field_validator

from api.accounts.schemas import SocialAccountOut
from core.wire import InputSchema, Schema
from domain.imports import LibraryMediaType
from providers.storage.base import MediaStorage
from store.models import MediaLibraryItem, Profile, SocialAccount

ProfileType = Literal["ai_influencer", "managed"]
Tag = Annotated[str, Field(min_length=1, max_length=100)]


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA timezone {value!r}, e.g. Europe/Paris") from exc
    return value


class ContentDirectionIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    moods: list[Tag] = Field(default_factory=list, max_length=20)
    settings: list[Tag] = Field(default_factory=list, max_length=20)
    hashtags: list[Tag] = Field(default_factory=list, max_length=30)


class ContentDirectionOut(Schema):
    id: str
    title: str
    description: str
    moods: list[str]
    settings: list[str]
    hashtags: list[str]


class ProfileCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Mia main",
                    "type": "ai_influencer",
                    "influencerId": "inf_3k9x2m7q1w8e5r4t",
                    "timezone": "Europe/Paris",
                    "contentDirections": [
                        {
                            "title": "Café mornings",
                            "description": "Slow mornings in Paris cafés.",
                            "moods": ["cozy"],
                            "settings": ["café"],
                            "hashtags": ["parismornings"],
                        }
                    ],
                }
            ]
        }
    )

    name: str = Field(min_length=1, max_length=200)
    type: ProfileType
    influencer_id: str | None = Field(
        None, min_length=1, max_length=40, description="Required for ai_influencer profiles"
    )
    timezone: str = "UTC"
    content_directions: list[ContentDirectionIn] = Field(default_factory=list, max_length=50)

    _tz = field_validator("timezone")(_check_timezone)


class ProfileUpdate(InputSchema):
    """Fields left out keep their current value."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Mia travel", "timezone": "Europe/Lisbon"}]})

    name: str | None = Field(None, min_length=1, max_length=200)
    influencer_id: str | None = Field(None, min_length=1, max_length=40)
    timezone: str | None = None
    content_directions: list[ContentDirectionIn] | None = Field(None, max_length=50)

    _tz = field_validator("timezone")(_check_timezone)


class ProfileOut(Schema):
    id: str
    name: str
    type: ProfileType
    influencer_id: str | None
    timezone: str
    content_directions: list[ContentDirectionOut]
    connected_accounts: list[SocialAccountOut]
    created_at: datetime
    updated_at: datetime


class DirectionsDraftBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"prompt": "A travel photographer exploring Lisbon on a budget", "count": 3, "save": False}]
        }
    )

    prompt: str = Field(min_length=1, max_length=2000)
    count: int = Field(3, ge=1, le=10)
    save: StrictBool = Field(False, description="Append the drafts to the profile's content directions")


def profile_out(profile: Profile, accounts: Sequence[SocialAccount]) -> ProfileOut:
    return ProfileOut(
        id=profile.id,
        name=profile.name,
        type=profile.type,
        influencer_id=profile.influencer_id,
        timezone=profile.timezone,
        content_directions=[ContentDirectionOut.model_validate(d) for d in profile.content_directions or []],
        connected_accounts=[SocialAccountOut.model_validate(a) for a in accounts if a.profile_id == profile.id],
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


class MediaLibraryItemOut(Schema):
    """One imported post: our stored copy of its media (``url``, ``thumbnailUrl``) and the platform's counters."""

    id: str
    platform: str
    platform_post_id: str
    post_url: str | None
    media_type: LibraryMediaType
    url: str | None
    thumbnail_url: str | None
    caption: str
    posted_at: datetime
    metrics: dict[str, int]
    import_job_id: str | None
    imported_at: datetime


def library_item_out(item: MediaLibraryItem, storage: MediaStorage) -> MediaLibraryItemOut:
    return MediaLibraryItemOut(
        id=item.id,
        platform=item.platform,
        platform_post_id=item.platform_post_id,
        post_url=item.post_url,
        media_type=LibraryMediaType(item.media_type),
        url=storage.url(item.media_key) if item.media_key else None,
        thumbnail_url=storage.url(item.thumbnail_key) if item.thumbnail_key else None,
        caption=item.caption,
        posted_at=item.posted_at,
        metrics={k: int(v) for k, v in (item.metrics or {}).items()},
        import_job_id=item.import_job_id,
        imported_at=item.imported_at,
    )
