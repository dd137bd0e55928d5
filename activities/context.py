"""Loading what generation needs from the database, shared by batch items and short jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from activities.errors import gone
from activities.planning import Character
from contracts.generation import CaptionVoice
from store.models import Influencer, Profile
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository


@dataclass(frozen=True)
class GenerationContext:
    influencer: Influencer
    character: Character
    profile: Profile | None
    directions: list[dict[str, Any]]


def caption_voice(context: GenerationContext, direction_id: str | None) -> CaptionVoice:
    """What a caption needs of the influencer and profile: every direction, or the item's one if it has one."""
    return CaptionVoice(
        influencer_name=context.character.name,
        personality=context.character.personality,
        bio=context.influencer.bio or "",
        content_directions=[
            f"{d.get('title', '')}: {d.get('description', '')}".strip(": ")
            for d in context.directions
            if not direction_id or d.get("id") == direction_id
        ],
    )


def character_of(influencer: Influencer) -> Character:
    return Character(
        name=influencer.name,
        personality=influencer.personality,
        base_prompt=influencer.base_prompt,
        appearance=dict(influencer.appearance or {}),
        ingredients=dict(influencer.ingredients or {}),
        aesthetic_grade=influencer.aesthetic_grade,
        seed=influencer.seed,
    )


async def load_context(
    session: AsyncSession, account_id: str, influencer_id: str, profile_id: str | None
) -> GenerationContext:
    influencer = await InfluencerRepository(session).get_without_references(account_id, influencer_id)
    if influencer is None:
        raise gone(f"influencer {influencer_id}")
    profile = await ProfileRepository(session).get(account_id, profile_id) if profile_id else None
    directions = list(profile.content_directions or []) if profile else []
    return GenerationContext(influencer, character_of(influencer), profile, directions)
