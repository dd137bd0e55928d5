"""What a content item stores about itself in JSON columns: how it was planned, and the versions it had
before a regenerate, caption fine-tune or edit.

Stored snake_case, read and written only through these models; the API camelCases them at its edge.
Rows written before this casing rule (camelCase keys) still read, because the models accept both."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from domain.vocabulary import TimeOfDay


class StoredRecord(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def stored(self) -> dict[str, Any]:
        """The JSON column's form: snake_case, JSON types."""
        return self.model_dump(mode="json")


class PlanSummary(StoredRecord):
    """What the review queue shows of how an item was planned."""

    mood: str | None = None
    setting: str | None = None
    time_of_day: TimeOfDay | None = None
    wardrobe: list[str] = Field(default_factory=list)
    props: list[str] = Field(default_factory=list)
    content_direction_id: str | None = None
    content_direction: str | None = None
    aesthetic_grade: str | None = None
    scene: str = ""
    # Collaboration items: each member's place in the scene ("Mia in front, looking at the camera").
    cast: list[str] = Field(default_factory=list)


class ContentVersion(StoredRecord):
    caption: str = ""
    hashtags: list[str] = Field(default_factory=list)
    media_key: str | None = None
    prompt: str = ""
    seed: int = 0
    replaced_at: datetime


class Versioned(Protocol):
    caption: str
    hashtags: list[Any]
    media_key: str | None
    prompt: str
    seed: int
    history: list[Any]


class Planned(Protocol):
    plan: dict[str, Any]


def plan_of(item: Planned) -> PlanSummary:
    return PlanSummary.model_validate(item.plan or {})


def versions_of(item: Versioned) -> list[ContentVersion]:
    return [ContentVersion.model_validate(version) for version in item.history or []]


def push_version(item: Versioned, replaced_at: datetime) -> None:
    """Append the current caption, hashtags and media to the history (a new list, so the ORM sees it)."""
    snapshot = ContentVersion(
        caption=item.caption,
        hashtags=[str(tag) for tag in item.hashtags or []],
        media_key=item.media_key,
        prompt=item.prompt,
        seed=item.seed,
        replaced_at=replaced_at,
    )
    item.history = [*(version.stored() for version in versions_of(item)), snapshot.stored()]


def pop_version(item: Versioned) -> ContentVersion | None:
    """Take the newest version off the history (to restore it); None when there is none."""
    versions = versions_of(item)
    if not versions:
        return None
    last = versions.pop()
    item.history = [version.stored() for version in versions]
    return last
