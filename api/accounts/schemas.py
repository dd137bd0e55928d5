"""Connected social accounts, the OAuth connection flow, and the sandbox controls of a sandbox account."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, HttpUrl

from core.wire import InputSchema, Schema
from domain.accounts import SocialAccountStatus

Platform = Literal["sandbox", "x", "tiktok", "instagram"]
# Connected through OAuth; sandbox accounts are created directly with POST /accounts.
OAuthPlatform = Literal["x", "tiktok", "instagram"]
SandboxFaultMode = Literal["transient", "rate_limit", "permanent", "after_create", "timeout", "none"]


class SocialAccountOut(Schema):
    id: str
    platform: Platform
    handle: str
    display_name: str
    profile_id: str | None
    status: SocialAccountStatus
    created_at: datetime


class SocialAccountCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "platform": "sandbox",
                    "handle": "mia.laurent",
                    "displayName": "Mia Laurent",
                    "profileId": "prof_3k9x2m7q1w8e5r4t",
                }
            ]
        }
    )

    platform: Literal["sandbox"] = Field(
        description="sandbox connects here; x, tiktok and instagram connect through their OAuth flow"
    )
    handle: str = Field(min_length=1, max_length=100, pattern=r"^@?[A-Za-z0-9_.]+$")
    display_name: str = Field("", max_length=200)
    profile_id: str | None = Field(None, min_length=1, max_length=40)


class SocialAccountUpdate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"profileId": "prof_3k9x2m7q1w8e5r4t", "displayName": "Mia (travel)"}]}
    )

    profile_id: str | None = Field(
        None, min_length=1, max_length=40, description="Attach to this profile; null detaches"
    )
    display_name: str | None = Field(None, max_length=200)


class ConnectBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"redirectUri": "https://app.example.com/oauth/done", "profileId": "prof_3k9x2m7q1w8e5r4t"}]
        }
    )

    redirect_uri: HttpUrl = Field(description="Where the platform sends the user back; must be registered with the app")
    profile_id: str | None = Field(None, min_length=1, max_length=40)


class ConnectStart(Schema):
    authorize_url: str = Field(description="Send the user here to approve the connection")
    state: str
    expires_at: datetime


class SandboxFaultsIn(InputSchema):
    """What the sandbox platform does to the next post creations of this account."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"mode": "rate_limit", "times": 2}]})

    mode: SandboxFaultMode = Field(
        description=(
            "transient: 503; rate_limit: 429 with Retry-After: 1; permanent: 400 until cleared; "
            "after_create: the post is created, then 500 (a lost response); timeout: the post is created, "
            "then the answer is held back for `seconds`; none: clear"
        )
    )
    times: int = Field(1, ge=1, le=100, description="How many post creations fail; ignored by permanent")
    seconds: float | None = Field(None, gt=0, le=120, description="timeout only: how long to hold the answer (5)")


class SandboxPostOut(Schema):
    id: str
    url: str
    status: Literal["published", "deleted"]
    text: str
    media_urls: list[str]
    idempotency_key: str | None
    created_at: datetime


class SyncTriggered(Schema):
    account_id: str
    schedule_id: str = Field(description="The account's Temporal Schedule, shown under Schedules in the Temporal UI")
    status: Literal["triggered"]
