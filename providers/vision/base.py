"""The vision provider interface: what uploaded photos show, as a base prompt and wardrobe ideas."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from providers.text.base import WardrobeItem


class PhotoInput(BaseModel):
    data: bytes
    content_type: str
    filename: str = ""


class PhotoFeatures(BaseModel):
    width: int
    height: int
    aspect_ratio: float
    orientation: str = Field(description="portrait, landscape or square")
    brightness: float = Field(ge=0, le=1)
    contrast: float = Field(ge=0, le=1)
    saturation: float = Field(ge=0, le=1)
    dominant_colors: list[str] = Field(description="Hex colours, most common first")
    color_names: list[str] = Field(default_factory=list)


class PhotoAnalysis(BaseModel):
    photos: list[PhotoFeatures]
    base_prompt: str
    wardrobe_suggestions: list[WardrobeItem]


class VisionProvider(Protocol):
    name: str

    async def analyze(self, photos: list[PhotoInput]) -> PhotoAnalysis: ...
