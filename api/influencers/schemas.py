"""Influencer schemas: identity, look, aesthetic grade, references and the ingredient library."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, HttpUrl, field_validator

from core.wire import InputSchema, Schema
from domain.aesthetic_grades import GRADES_BY_ID
from domain.vocabulary import TimeOfDay, View, WardrobeCategory
from providers.storage.base import MediaStorage
from store.models import Influencer

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
# The schema lists the grades so a client (or a fuzzer) knows the accepted ids; check_grade gives the error.
GradeId = Annotated[str, Field(json_schema_extra={"enum": sorted(GRADES_BY_ID)})]


def check_grade(value: str | None) -> str | None:
    if value is not None and value not in GRADES_BY_ID:
        raise ValueError(f"unknown aesthetic grade {value!r}; see GET /api/v1/config/aesthetic-grades")
    return value


class Appearance(InputSchema):
    age_range: str | None = Field(None, max_length=50)
    gender: str | None = Field(None, max_length=50)
    ethnicity: str | None = Field(None, max_length=100)
    hair: str | None = Field(None, max_length=200)
    eyes: str | None = Field(None, max_length=100)
    skin_tone: str | None = Field(None, max_length=100)
    body_type: str | None = Field(None, max_length=100)
    style: str | None = Field(None, max_length=300)
    distinguishing_features: str | None = Field(None, max_length=500)


class WardrobeItem(InputSchema):
    name: ShortText
    category: WardrobeCategory
    description: str = Field("", max_length=500)
    colors: list[Annotated[str, Field(max_length=50)]] = Field(default_factory=list, max_length=10)


class Routine(InputSchema):
    name: ShortText
    time_of_day: TimeOfDay
    days: list[Weekday] = Field(default_factory=list, max_length=7)
    description: str = Field("", max_length=500)


class Ingredients(InputSchema):
    wardrobe: list[WardrobeItem] = Field(default_factory=list, max_length=200)
    settings: list[ShortText] = Field(default_factory=list, max_length=100, description="Preferred locations")
    props: list[ShortText] = Field(default_factory=list, max_length=100)
    moods: list[ShortText] = Field(default_factory=list, max_length=50)
    routines: list[Routine] = Field(default_factory=list, max_length=50, description="Lifestyle routines")


class IngredientsPatch(InputSchema):
    """Fields left out keep their current value; a field given replaces that list as a whole."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"moods": ["playful", "dreamy"], "props": ["vintage film camera", "espresso cup"]}]
        }
    )

    wardrobe: list[WardrobeItem] | None = Field(None, max_length=200)
    settings: list[ShortText] | None = Field(None, max_length=100)
    props: list[ShortText] | None = Field(None, max_length=100)
    moods: list[ShortText] | None = Field(None, max_length=50)
    routines: list[Routine] | None = Field(None, max_length=50)


class InfluencerCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Mia Laurent",
                    "bio": "Paris barista turned travel photographer.",
                    "personality": "warm, curious, witty",
                    "basePrompt": "woman, 25, auburn shoulder-length hair, freckles",
                    "appearance": {
                        "ageRange": "25-30",
                        "hair": "auburn, shoulder length",
                        "eyes": "green",
                        "style": "casual chic",
                    },
                    "aestheticGrade": "golden_hour",
                    "ingredients": {
                        "wardrobe": [{"name": "Camel trench coat", "category": "outerwear", "colors": ["camel"]}],
                        "settings": ["Montmartre café terrace"],
                        "moods": ["playful"],
                        "routines": [{"name": "Morning run", "timeOfDay": "morning", "days": ["mon", "wed", "fri"]}],
                    },
                }
            ]
        }
    )

    name: ShortText
    bio: str = Field("", max_length=2000)
    personality: str = Field("", max_length=2000)
    base_prompt: str = Field("", max_length=4000, description="How the influencer looks, for image prompts")
    appearance: Appearance = Field(default_factory=Appearance)
    aesthetic_grade: GradeId = Field("natural", description="An id from GET /config/aesthetic-grades")
    ingredients: Ingredients = Field(default_factory=Ingredients)

    _grade = field_validator("aesthetic_grade")(check_grade)


class InfluencerUpdate(InputSchema):
    """Fields left out keep their current value."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"bio": "Paris barista turned travel photographer, now in Lisbon.", "aestheticGrade": "film_35mm"}
            ]
        }
    )

    name: ShortText | None = None
    bio: str | None = Field(None, max_length=2000)
    personality: str | None = Field(None, max_length=2000)
    base_prompt: str | None = Field(None, max_length=4000)
    appearance: Appearance | None = None
    aesthetic_grade: GradeId | None = None
    ingredients: Ingredients | None = None

    _grade = field_validator("aesthetic_grade")(check_grade)


class ReferenceImageOut(Schema):
    id: str
    view: View
    url: str
    content_type: str
    source: Literal["upload", "url", "generated"]
    source_url: str | None = None
    created_at: datetime


class InfluencerOut(Schema):
    id: str
    name: str
    bio: str
    personality: str
    base_prompt: str
    appearance: Appearance
    aesthetic_grade: str
    reference_images: list[ReferenceImageOut]
    ingredients: Ingredients
    created_at: datetime
    updated_at: datetime


class ReferenceByUrl(InputSchema):
    view: View
    url: HttpUrl


class ReferencesByUrl(InputSchema):
    references: list[ReferenceByUrl] = Field(min_length=1, max_length=8)


def influencer_out(influencer: Influencer, storage: MediaStorage) -> InfluencerOut:
    return InfluencerOut(
        id=influencer.id,
        name=influencer.name,
        bio=influencer.bio,
        personality=influencer.personality,
        base_prompt=influencer.base_prompt,
        appearance=influencer.appearance or {},
        aesthetic_grade=influencer.aesthetic_grade,
        reference_images=[
            ReferenceImageOut(
                id=ref.id,
                view=ref.view,
                url=storage.url(ref.media_key),
                content_type=ref.content_type,
                source=ref.source,
                source_url=ref.source_url,
                created_at=ref.created_at,
            )
            for ref in influencer.references
        ],
        ingredients=influencer.ingredients or {},
        created_at=influencer.created_at,
        updated_at=influencer.updated_at,
    )
