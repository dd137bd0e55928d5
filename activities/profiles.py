"""Jobs on a profile: draft content directions from a prompt, optionally saving them to the profile."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.errors import gone, provider_errors
from contracts.jobs import ContentDirectionsInput, DirectionsDrafted, DraftedDirection
from domain.jobs import JobStatus
from domain.pricing import BillableAction
from domain.seeds import derived_id, derived_seed
from providers.text.base import ContentDirectionRequest, TextProvider
from store.db import transaction
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import JobRepository
from store.repositories.profiles import ProfileRepository
from store.repositories.usage import UsageRepository


class ProfileActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], text: TextProvider) -> None:
        self.session_factory = session_factory
        self.text = text

    @activity.defn
    async def draft_content_directions(self, input: ContentDirectionsInput) -> DirectionsDrafted:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            profile = await ProfileRepository(session).get(input.account_id, input.profile_id)
            if profile is None:
                raise gone(f"profile {input.profile_id}")
            influencer = (
                await InfluencerRepository(session).get(input.account_id, profile.influencer_id)
                if profile.influencer_id
                else None
            )
        request = ContentDirectionRequest(
            prompt=input.prompt,
            profile_name=profile.name,
            personality=influencer.personality if influencer else "",
            count=input.count,
            seed=derived_seed(input.job_id),
        )
        with provider_errors():
            drafted = await self.text.content_directions(request)
        # Ids derived from the job: a retried step returns the same ids it may already have saved.
        directions = [
            DraftedDirection(id=derived_id("cdir", input.job_id, i), **d.model_dump())
            for i, d in enumerate(drafted.directions)
        ]
        async with transaction(self.session_factory) as session:
            job = await JobRepository(session).get_any(input.job_id)
            if input.save and job is not None and job.status != JobStatus.COMPLETED:
                profile = await ProfileRepository(session).get(input.account_id, input.profile_id)
                if profile is not None:
                    saved = [d.model_dump(mode="json") for d in directions]
                    profile.content_directions = [*(profile.content_directions or []), *saved]
                    await ProfileRepository(session).save(profile)
            await UsageRepository(session).charge(
                input.account_id,
                f"{input.job_id}:directions",
                BillableAction.CONTENT_DIRECTION_DRAFT,
                subject_id=input.profile_id,
            )
        return DirectionsDrafted(directions=directions, saved=input.save)
