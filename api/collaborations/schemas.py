"""Collaboration bodies and the collaboration as the API shows it (its status and counts are its batch's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, field_validator

from api.batches.schemas import BatchCounts
from core.wire import InputSchema, Schema
from domain.batches import BatchItemStatus, BatchStatus
from domain.collaborations import DEFAULT_ITEMS, MAX_ITEMS, MAX_MEMBERS, MIN_MEMBERS
from domain.vocabulary import TimeOfDay
from store.models import Batch, Collaboration


class CollaborationCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Paris duo",
                    "influencerIds": ["inf_3k9x2m7q1w8e5r4t", "inf_8p2l5n0z6c4v1b7m"],
                    "profileId": "prof_3k9x2m7q1w8e5r4t",
                    "scene": "sharing croissants on a café terrace",
                    "timeOfDay": "morning",
                    "count": 4,
                }
            ]
        }
    )

    name: str = Field(min_length=1, max_length=200)
    influencer_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        min_length=MIN_MEMBERS, max_length=MAX_MEMBERS, json_schema_extra={"uniqueItems": True}
    )
    profile_id: str = Field(min_length=1, max_length=40, description="Where the results are reviewed and published")
    scene: str | None = Field(None, min_length=1, max_length=500, description="What they do together, free text")
    mood: str | None = Field(None, min_length=1, max_length=100)
    setting: str | None = Field(None, min_length=1, max_length=200)
    time_of_day: TimeOfDay | None = None
    count: int = Field(DEFAULT_ITEMS, ge=1, le=MAX_ITEMS)

    @field_validator("influencer_ids")
    @classmethod
    def _no_repeats(cls, ids: list[str]) -> list[str]:
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"each influencer may appear once; repeated: {', '.join(repeated)}")
        if any(not 1 <= len(i) <= 40 for i in ids):
            raise ValueError("influencer ids are 1 to 40 characters")
        return ids


class CollaborationMemberOut(Schema):
    id: str
    name: str
    exists: bool = Field(description="False once the influencer has been deleted; the collaboration stays")


class CollaborationOut(Schema):
    id: str
    name: str
    status: BatchStatus
    members: list[CollaborationMemberOut]
    profile_id: str | None
    batch_id: str
    counts: BatchCounts
    content_ids: list[str]
    scene: str | None
    mood: str | None
    setting: str | None
    time_of_day: TimeOfDay | None
    created_at: datetime


def collaboration_out(
    collaboration: Collaboration,
    batch: Batch | None,
    counts: Mapping[str, int],
    content_ids: list[str],
    live_ids: set[str],
) -> CollaborationOut:
    params = collaboration.params or {}
    return CollaborationOut(
        id=collaboration.id,
        name=collaboration.name,
        # A batch purged with its account's data reads as failed rather than as a 500.
        status=BatchStatus(batch.status) if batch is not None else BatchStatus.FAILED,
        members=[
            CollaborationMemberOut(id=m.influencer_id, name=m.name, exists=m.influencer_id in live_ids)
            for m in collaboration.members
        ],
        profile_id=collaboration.profile_id,
        batch_id=collaboration.batch_id,
        counts=BatchCounts(
            total=batch.total if batch is not None else int(params.get("count", 0)),
            completed=counts.get(BatchItemStatus.COMPLETED, 0),
            failed=counts.get(BatchItemStatus.FAILED, 0),
            cancelled=counts.get(BatchItemStatus.CANCELLED, 0),
            pending=counts.get(BatchItemStatus.PENDING, 0),
            running=counts.get(BatchItemStatus.RUNNING, 0),
        ),
        content_ids=content_ids,
        scene=params.get("scene"),
        mood=params.get("mood"),
        setting=params.get("setting"),
        time_of_day=params.get("time_of_day"),
        created_at=collaboration.created_at,
    )
