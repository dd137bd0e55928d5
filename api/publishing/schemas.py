"""Publishing requests and status."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from api.accounts.schemas import Platform
from core.wire import AwareInstant, InputSchema, Schema
from domain.publishing import PublicationStatus

Caption = Annotated[str, Field(min_length=1, max_length=2200)]


class PublishBody(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "accountIds": ["acc_3k9x2m7q1w8e5r4t"],
                    "scheduledAt": "2026-03-01T09:00:00+01:00",
                    "captions": {"x": "Sunday light over the Seine"},
                }
            ]
        }
    )

    account_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        None, min_length=1, max_length=20, description="Connected accounts to post to; default: the profile's"
    )
    scheduled_at: AwareInstant | None = Field(None, description="When to publish (ISO 8601 with offset); now if unset")
    captions: dict[Platform, Caption] | None = Field(None, description="Caption override per platform")


class PublicationOut(Schema):
    id: str
    account_id: str = Field(description="The connected social account")
    platform: str
    round: int
    status: PublicationStatus
    scheduled_at: datetime | None
    platform_post_id: str | None
    url: str | None
    attempts: int
    error_code: str | None
    error_message: str | None
    published_at: datetime | None


class PublishStatusOut(Schema):
    content_id: str
    content_status: str
    round: int
    workflow_id: str | None
    targets: list[PublicationOut]
