"""Database rows for voice-corpus tests: an influencer with a profile, and approved captions on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.content import ContentStatus
from store.db import transaction
from store.models import ContentItem, Influencer, Profile
from store.types import utcnow
from tests.utils.factories import make_tenant


@dataclass(frozen=True)
class CorpusProfile:
    account_id: str
    influencer_id: str
    profile_id: str


async def make_corpus_profile(sessions: async_sessionmaker[AsyncSession]) -> CorpusProfile:
    tenant = await make_tenant(sessions)
    suffix = uuid.uuid4().hex[:12]
    made = CorpusProfile(tenant.account_id, f"inf_{suffix}", f"prof_{suffix}")
    async with transaction(sessions) as session:
        session.add(Influencer(id=made.influencer_id, account_id=made.account_id, name="Mia"))
        session.add(Profile(id=made.profile_id, account_id=made.account_id, name="Mia main", type="ai_influencer"))
    return made


def approved_caption(number: int) -> str:
    return f"Morning light number {number}"


async def approve_captions(
    sessions: async_sessionmaker[AsyncSession], profile: CorpusProfile, numbers: Iterable[int]
) -> None:
    """One approved content item per number, captioned ``approved_caption(number)``."""
    async with transaction(sessions) as session:
        for number in numbers:
            session.add(
                ContentItem(
                    id=f"cnt_{profile.profile_id.removeprefix('prof_')}{number}", account_id=profile.account_id,
                    profile_id=profile.profile_id, influencer_id=profile.influencer_id,
                    status=ContentStatus.APPROVED.value, caption=approved_caption(number), approved_at=utcnow(),
                )
            )  # fmt: skip
