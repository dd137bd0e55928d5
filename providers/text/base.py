"""The text provider interface: captions, wardrobe items and content directions, as validated models."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from domain.vocabulary import TimeOfDay, WardrobeCategory


class CaptionRequest(BaseModel):
    influencer_name: str
    personality: str = ""
    bio: str = ""
    mood: str | None = None
    setting: str | None = None
    time_of_day: TimeOfDay | None = None
    scene_description: str = ""
    content_directions: list[str] = Field(default_factory=list)
    voice_samples: list[str] = Field(default_factory=list, description="Past posts whose voice to follow")
    instruction: str | None = Field(
        default=None, description="Free-form steer, e.g. 'shorter, add a question'"
    )
    previous_caption: str | None = None
    seed: int = Field(default=0, ge=0)
    featuring: list[str] = Field(
        default_factory=list, description="Everyone else in the picture, as the caption should name them"
    )


class CaptionResult(BaseModel):
    caption: str = Field(min_length=1, max_length=2200)
    hashtags: list[str] = Field(default_factory=list, max_length=30)


class WardrobeRequest(BaseModel):
    base_prompt: str
    personality: str = ""
    count: int = Field(default=6, ge=1, le=30)
    existing: list[str] = Field(default_factory=list, description="Names already in the wardrobe, to avoid")
    seed: int = Field(default=0, ge=0)


class WardrobeItem(BaseModel):
    name: str = Field(min_length=1)
    category: WardrobeCategory
    description: str = ""
    colors: list[str] = Field(default_factory=list)


class WardrobeResult(BaseModel):
    items: list[WardrobeItem]


class ContentDirectionRequest(BaseModel):
    prompt: str = Field(min_length=1)
    profile_name: str = ""
    personality: str = ""
    count: int = Field(default=3, ge=1, le=10)
    seed: int = Field(default=0, ge=0)


class ContentDirection(BaseModel):
    title: str = Field(min_length=1)
    description: str
    moods: list[str] = Field(default_factory=list)
    settings: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)


class ContentDirectionResult(BaseModel):
    directions: list[ContentDirection]


class TextProvider(Protocol):
    name: str
    # True when it writes in this process in milliseconds, with no remote call: the workflow may then run
    # a caption as a local activity, without a round trip through the Temporal server.
    in_process: bool

    async def caption(self, request: CaptionRequest) -> CaptionResult: ...

    async def wardrobe(self, request: WardrobeRequest) -> WardrobeResult: ...

    async def content_directions(self, request: ContentDirectionRequest) -> ContentDirectionResult: ...
