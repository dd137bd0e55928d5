"""Loading a collaboration item's members: each one's character, reference images and caption mention."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from activities.collaboration_planning import Member
from activities.context import character_of
from activities.errors import gone
from domain.vocabulary import VIEWS
from store.repositories.collaborations import CollaborationRepository
from store.repositories.influencers import InfluencerRepository

# One reference per member (the most frontal one) is enough to condition a group picture on each face and
# keeps a four-member request small.
REFERENCES_PER_MEMBER = 1


async def load_members(
    session: AsyncSession, account_id: str, member_ids: list[str], profile_id: str | None
) -> list[Member]:
    """The members in order; a member deleted since the collaboration started fails the item (``gone``)."""
    influencers = InfluencerRepository(session)
    handles = await CollaborationRepository(session).handles_on_target(account_id, profile_id, member_ids)
    members = []
    for influencer_id in member_ids:
        influencer = await influencers.get(account_id, influencer_id)
        if influencer is None:
            raise gone(f"influencer {influencer_id}")
        references = sorted(
            influencer.references, key=lambda ref: VIEWS.index(ref.view) if ref.view in VIEWS else len(VIEWS)
        )
        handle = handles.get(influencer_id)
        members.append(
            Member(
                influencer_id=influencer_id,
                character=character_of(influencer),
                reference_keys=[ref.media_key for ref in references[:REFERENCES_PER_MEMBER]],
                mention=f"@{handle.lstrip('@')}" if handle else influencer.name,
            )
        )
    return members
