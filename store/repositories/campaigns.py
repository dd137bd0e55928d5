"""Campaigns and their runs, and the calendar's reads of publications (all SQL of the campaign family)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from domain.campaigns import CampaignStatus
from domain.publishing import PublicationStatus
from store.models import Campaign, CampaignRun, ContentItem, Profile, Publication, SocialAccount
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository, Repository
from store.types import utcnow


class CampaignRepository(OwnedRepository[Campaign]):
    model = Campaign
    noun = "campaign"

    async def list(
        self, account_id: str, *, limit: int, cursor: str | None, profile_id: str | None = None
    ) -> Page[Campaign]:
        query = self.owned(account_id)
        if profile_id:
            query = query.where(Campaign.profile_id == profile_id)
        return await paginate(
            self.session, query, created_col=Campaign.created_at, id_col=Campaign.id, limit=limit, cursor=cursor
        )

    async def get_any(self, campaign_id: str) -> Campaign | None:
        return await self.session.get(Campaign, campaign_id)

    async def not_ended(
        self, account_id: str, *, profile_id: str | None = None, influencer_id: str | None = None
    ) -> Sequence[Campaign]:
        query = self.owned(account_id).where(Campaign.status != CampaignStatus.ENDED)
        if profile_id:
            query = query.where(Campaign.profile_id == profile_id)
        if influencer_id:
            query = query.where(Campaign.influencer_id == influencer_id)
        return (await self.session.scalars(query.order_by(Campaign.created_at, Campaign.id))).all()

    async def end(self, campaign: Campaign, reason: str) -> None:
        campaign.status = CampaignStatus.ENDED
        campaign.ended_at = campaign.ended_at or utcnow()
        campaign.ended_reason = reason
        await self.save(campaign)

    async def end_for(
        self, account_id: str, *, profile_id: str | None = None, influencer_id: str | None = None, reason: str
    ) -> tuple[str, ...]:
        """End every campaign of a profile or influencer that is being deleted; returns their ids. Their
        Schedules are deleted by the next run they fire (which finds the campaign ended)."""
        ended = await self.not_ended(account_id, profile_id=profile_id, influencer_id=influencer_id)
        for campaign in ended:
            await self.end(campaign, reason)
        return tuple(c.id for c in ended)

    async def social_accounts(self, account_id: str, social_account_ids: Sequence[str]) -> Sequence[SocialAccount]:
        """The tenant's connected accounts among ``social_account_ids``, in the order given."""
        if not social_account_ids:
            return []
        query = select(SocialAccount).where(
            SocialAccount.account_id == account_id, SocialAccount.id.in_(list(social_account_ids))
        )
        found = {a.id: a for a in (await self.session.scalars(query)).all()}
        return [found[i] for i in social_account_ids if i in found]

    async def save(self, campaign: Campaign) -> Campaign:
        campaign.updated_at = utcnow()
        await self.session.flush()
        return campaign

    async def delete(self, campaign: Campaign) -> None:
        await self.session.delete(campaign)
        await self.session.flush()


class CampaignRunRepository(Repository):
    async def get(self, run_id: str) -> CampaignRun | None:
        return await self.session.get(CampaignRun, run_id)

    async def for_slot(self, campaign_id: str, slot_at: datetime) -> CampaignRun | None:
        query = select(CampaignRun).where(CampaignRun.campaign_id == campaign_id, CampaignRun.slot_at == slot_at)
        run: CampaignRun | None = await self.session.scalar(query)
        return run

    async def count(self, campaign_id: str) -> int:
        value = await self.session.scalar(
            select(func.count()).select_from(CampaignRun).where(CampaignRun.campaign_id == campaign_id)
        )
        return int(value or 0)

    async def add(self, run: CampaignRun) -> CampaignRun:
        self.session.add(run)
        await self.session.flush()
        return run

    async def list(self, campaign_id: str, *, limit: int, cursor: str | None) -> Page[CampaignRun]:
        query = select(CampaignRun).where(CampaignRun.campaign_id == campaign_id)
        return await paginate(
            self.session, query, created_col=CampaignRun.created_at, id_col=CampaignRun.id, limit=limit, cursor=cursor
        )

    async def publications_of(self, content_ids: Sequence[str]) -> Sequence[Publication]:
        if not content_ids:
            return []
        query = select(Publication).where(Publication.content_id.in_(content_ids)).order_by(Publication.id)
        return (await self.session.scalars(query)).all()


class CalendarRepository(Repository):
    async def publications_between(
        self, account_id: str, start: datetime, end: datetime, profile_id: str | None
    ) -> Sequence[Any]:
        """Publications scheduled in the window, or published in it, with their item's profile id."""
        in_window = or_(
            and_(
                Publication.status == PublicationStatus.SCHEDULED,
                Publication.scheduled_at >= start,
                Publication.scheduled_at < end,
            ),
            and_(
                Publication.status == PublicationStatus.PUBLISHED,
                Publication.published_at >= start,
                Publication.published_at < end,
            ),
        )
        query = (
            select(Publication, ContentItem.profile_id)
            .join(ContentItem, ContentItem.id == Publication.content_id)
            .where(Publication.account_id == account_id, in_window)
            .order_by(Publication.id)
            .limit(2000)
        )
        if profile_id:
            query = query.where(ContentItem.profile_id == profile_id)
        return (await self.session.execute(query)).all()

    async def timezones(self, account_id: str, profile_ids: Sequence[str]) -> dict[str, str]:
        if not profile_ids:
            return {}
        query = select(Profile.id, Profile.timezone).where(
            Profile.account_id == account_id, Profile.id.in_(list(profile_ids))
        )
        return {row.id: row.timezone for row in (await self.session.execute(query)).all()}
