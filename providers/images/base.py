"""The image provider interface."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

from domain.vocabulary import View


class ReferencePicture(BaseModel):
    """A stored reference image of a person, handed to providers that can condition on it."""

    data: bytes
    content_type: str = "image/png"


class ImageFigure(BaseModel):
    """One person in a group picture: their own look (appearance prompt, outfit, identity seed), where they
    stand (``role`` front or beside), which way they turn, and their reference images."""

    name: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    seed: int = Field(ge=0)
    wardrobe: list[str] = Field(default_factory=list)
    role: Literal["front", "beside"] = "beside"
    facing: Literal["camera", "left", "right"] = "camera"
    looking_at: str | None = None
    references: list[ReferencePicture] = Field(default_factory=list)


class ImageRequest(BaseModel):
    prompt: str = Field(min_length=1)
    seed: int = Field(ge=0)
    width: int = Field(default=1024, ge=64, le=4096)
    height: int = Field(default=1024, ge=64, le=4096)
    view: View | None = None
    wardrobe: list[str] = Field(default_factory=list)
    grade_id: str | None = None
    negative_prompt: str | None = None
    # A group picture (collaborations): every figure from the viewer's left; empty for a single person.
    figures: list[ImageFigure] = Field(default_factory=list, max_length=4)


class GeneratedImage(BaseModel):
    data: bytes
    content_type: str = "image/png"
    width: int
    height: int
    model: str


class ImageProvider(Protocol):
    name: str

    async def generate(self, request: ImageRequest) -> GeneratedImage: ...
