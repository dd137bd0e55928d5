"""The sandbox platform's own wire format (camelCase JSON, like our API)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from core.wire import InputSchema, Schema


class SandboxMediaIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"url": "https://cdn.example.com/media/cnt_3k9x2m7q1w8e5r4t.png", "contentType": "image/png"}]
        }
    )

    url: str = Field(min_length=1, max_length=2000, pattern=r"^https?://[^\x00]*$")
    # A social network takes pictures and videos; anything else (an HTML page, say) is refused here.
    content_type: str = Field(min_length=1, max_length=100, pattern=r"^(image|video)/[A-Za-z0-9.+-]+$")


class SandboxMediaOut(Schema):
    id: str
    status: Literal["ready"]


class SandboxPostIn(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "Sunday light over the Seine #paris",
                    "mediaIds": ["med_3k9x2m7q1w8e5r4t"],
                    "idempotencyKey": "pub_3k9x2m7q1w8e5r4t",
                }
            ]
        }
    )

    text: str = Field("", max_length=5000)
    media_ids: list[str] = Field(default_factory=list, max_length=10)
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=200, description="A repeat with the same key returns the first post"
    )


class SandboxMetricsOut(Schema):
    likes: int
    views: int
    comments: int = 0
    shares: int = 0
    at: datetime | None = Field(default=None, description="The instant these counters stand for")


class SandboxProfileOut(Schema):
    followers: int
    at: datetime


class SandboxPostMedia(Schema):
    url: str
    type: Literal["image", "video"]


class SandboxPost(Schema):
    id: str
    url: str
    status: Literal["published", "deleted"]
    text: str
    media_urls: list[str]
    media: list[SandboxPostMedia] = Field(default_factory=list, description="The media with their kind")
    metrics: SandboxMetricsOut | None = None
    idempotency_key: str | None
    created_at: datetime
