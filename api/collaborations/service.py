"""Creating collaborations (validate the members and the profile, commit, start the batch) and reading
them with what their presenter needs, in a fixed number of queries whatever the page size."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.batches.service import BatchRequest, start_batch
from api.collaborations.schemas import CollaborationCreate, CollaborationOut, collaboration_out
from api.starter import WorkflowStarter
from contracts.generation import CollaborationSpec, GenerationOptions
from core.errors import ValidationFailed
from core.ids import new_id
from domain.batches import BatchKind
from store.models import Collaboration, CollaborationMember
from store.pagination import Page
from store.repositories.batches import BatchRepository
from store.repositories.collaborations import CollaborationRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository


async def _members(session: AsyncSession, account_id: str, influencer_ids: list[str]) -> list[CollaborationMember]:
    """One member row per id, or 422 on ``influencerIds``: another account's id reads exactly like a missing
    one (same message, same detail), so ids of other tenants cannot be probed."""
    repo = InfluencerRepository(session)
    members = []
    for position, influencer_id in enumerate(influencer_ids):
        influencer = await repo.get(account_id, influencer_id)
        if influencer is None:
            raise ValidationFailed(
                f"influencerIds: {influencer_id} does not name one of your influencers",
                details=[{"field": "influencerIds", "message": f"{influencer_id} not found"}],
            )
        members.append(CollaborationMember(influencer_id=influencer.id, name=influencer.name, position=position))
    return members


async def create_collaboration(starter: WorkflowStarter, account_id: str, body: CollaborationCreate) -> Collaboration:
    session = starter.session
    members = await _members(session, account_id, body.influencer_ids)
    profile = await ProfileRepository(session).get(account_id, body.profile_id)
    if profile is None:
        raise ValidationFailed(
            f"profileId {body.profile_id} does not name one of your profiles",
            details=[{"field": "profileId", "message": "not found"}],
        )
    collaboration_id, batch_id = new_id("col"), new_id("bat")
    options = GenerationOptions(mood=body.mood, setting=body.setting, time_of_day=body.time_of_day)
    collaboration = Collaboration(
        id=collaboration_id,
        account_id=account_id,
        name=body.name,
        profile_id=profile.id,
        batch_id=batch_id,
        params=body.model_dump(mode="json", include={"scene", "mood", "setting", "time_of_day", "count"}),
        members=members,
    )
    await CollaborationRepository(session).add(collaboration)
    # The batch row and the collaboration commit together; a start that fails marks the batch failed.
    await start_batch(
        starter,
        BatchRequest(
            account_id=account_id,
            kind=BatchKind.COLLABORATION,
            count=body.count,
            influencer_id=members[0].influencer_id,
            influencer_name=members[0].name,
            profile_id=profile.id,
            options=options,
            collaboration=CollaborationSpec(
                collaboration_id=collaboration_id, member_ids=[m.influencer_id for m in members], scene=body.scene
            ),
        ),
        batch_id=batch_id,
    )
    return await CollaborationRepository(session).get_owned(account_id, collaboration_id)


async def present(session: AsyncSession, account_id: str, collaborations: Sequence[Collaboration]) -> list[
    CollaborationOut
]:
    repo = CollaborationRepository(session)
    batch_ids = [c.batch_id for c in collaborations]
    batches = await repo.batches(batch_ids)
    counts = await BatchRepository(session).counts_for(batch_ids)
    content = await repo.content_ids([c.id for c in collaborations])
    member_ids = sorted({m.influencer_id for c in collaborations for m in c.members})
    live = await repo.live_influencer_ids(account_id, member_ids)
    return [
        collaboration_out(c, batches.get(c.batch_id), counts.get(c.batch_id, {}), content[c.id], live)
        for c in collaborations
    ]


async def get_collaboration(session: AsyncSession, account_id: str, collaboration_id: str) -> CollaborationOut:
    collaboration = await CollaborationRepository(session).get_owned(account_id, collaboration_id)
    return (await present(session, account_id, [collaboration]))[0]


async def list_collaborations(
    session: AsyncSession, account_id: str, *, limit: int, cursor: str | None, influencer_id: str | None
) -> tuple[list[CollaborationOut], str | None]:
    page: Page[Collaboration] = await CollaborationRepository(session).list(
        account_id, limit=limit, cursor=cursor, influencer_id=influencer_id
    )
    return await present(session, account_id, page.items), page.next_cursor
