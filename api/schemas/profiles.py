"""Profiles (AI influencer or managed real-person account) and connected social accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, HttpUrl, field_validator

from api.schemas.common import InputSchema, Schema

ProfileType = Literal["ai_influencer", "managed"]
Platform = Literal["sandbox", "x", "tiktok", "instagram"]
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

    name: str | None = Field(None, min_length=1, max_length=200)
    influencer_id: str | None = Field(None, min_length=1, max_length=40)
    timezone: str | None = None
    content_directions: list[ContentDirectionIn] | None = Field(None, max_length=50)

    _tz = field_validator("timezone")(_check_timezone)


class SocialAccountOut(Schema):
    id: str
    platform: Platform
    handle: str
    display_name: str
    profile_id: str | None
    status: Literal["active", "needs_reauth", "disconnected"]
    created_at: datetime


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


class SocialAccountCreate(InputSchema):
    platform: Literal["sandbox"] = Field(
        description="sandbox connects here; x, tiktok and instagram connect through their OAuth flow"
    )
    handle: str = Field(min_length=1, max_length=100, pattern=r"^@?[A-Za-z0-9_.]+$")
    display_name: str = Field("", max_length=200)
    profile_id: str | None = Field(None, min_length=1, max_length=40)


class SocialAccountUpdate(InputSchema):
    profile_id: str | None = Field(
        None, min_length=1, max_length=40, description="Attach to this profile; null detaches"
    )
    display_name: str | None = Field(None, max_length=200)


# -- the local sandbox platform --------------------------------------------------------------------

SandboxFaultMode = Literal["transient", "rate_limit", "permanent", "after_create", "timeout", "none"]


class SandboxFaultsIn(InputSchema):
    """What the sandbox platform does to the next post creations of this account."""

    mode: SandboxFaultMode = Field(
        description=(
            "transient: 503; rate_limit: 429 with Retry-After: 1; permanent: 400 until cleared; "
            "after_create: the post is created, then 500 (a lost response); timeout: the post is created, "
            "then the answer is held back for `seconds`; none: clear"
        )
    )
    times: int = Field(1, ge=1, le=100, description="How many post creations fail; ignored by permanent")
    seconds: float | None = Field(None, gt=0, le=120, description="timeout only: how long to hold the answer (5)")


class SandboxMediaIn(InputSchema):
    url: str = Field(min_length=1, max_length=2000, pattern=r"^https?://")
    content_type: str = Field(min_length=1, max_length=100)


class SandboxMediaOut(Schema):
    id: str
    status: Literal["ready"]


class SandboxPostIn(InputSchema):
    text: str = Field("", max_length=5000)
    media_ids: list[str] = Field(default_factory=list, max_length=10)
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=200, description="A repeat with the same key returns the first post"
    )


class SandboxPostOut(Schema):
    id: str
    url: str
    status: Literal["published", "deleted"]
    text: str
    media_urls: list[str]
    idempotency_key: str | None
    created_at: datetime


class SandboxMetricsOut(Schema):
    likes: int
    views: int


class ConnectBody(InputSchema):
    redirect_uri: HttpUrl = Field(description="Where the platform sends the user back; must be registered with the app")
    profile_id: str | None = Field(None, min_length=1, max_length=40)


class ConnectStart(Schema):
    authorize_url: str = Field(description="Send the user here to approve the connection")
    state: str
    expires_at: datetime
