"""The image provider interface."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from domain.vocabulary import View


class ImageRequest(BaseModel):
    prompt: str = Field(min_length=1)
    seed: int = Field(ge=0)
    width: int = Field(default=1024, ge=64, le=4096)
    height: int = Field(default=1024, ge=64, le=4096)
    view: View | None = None
    wardrobe: list[str] = Field(default_factory=list)
    grade_id: str | None = None
    negative_prompt: str | None = None


class GeneratedImage(BaseModel):
    data: bytes
    content_type: str = "image/png"
    width: int
    height: int
    model: str


class ImageProvider(Protocol):
    name: str

    async def generate(self, request: ImageRequest) -> GeneratedImage: ...
