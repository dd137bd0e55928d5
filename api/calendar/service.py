"""Everything on the calendar in a window: publications scheduled in it (the publishing workflows' timers
fire at ``scheduledAt``), posts published in it, and the upcoming slots of active campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.calendar.schemas import CalendarEntry, CalendarEntryKind, CalendarOut
from core.errors import ValidationFailed
from domain.campaign_slots import WeeklySlot, load_timezone, upcoming
from domain.campaigns import CampaignStatus
from domain.publishing import PublicationStatus
from store.repositories.campaigns import CalendarRepository, CampaignRepository
from store.types import utcnow

MAX_WINDOW = timedelta(days=92)
MAX_SLOTS = 1000


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _check_window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationFailed("to: must be after from", details=[{"field": "to", "message": "must be after from"}])
    if end - start > MAX_WINDOW:
        raise ValidationFailed(
            "to: the window is at most 92 days", details=[{"field": "to", "message": "at most 92 days after from"}]
        )


async def calendar(
    session: AsyncSession, account_id: str, start: datetime, end: datetime, profile_id: str | None
) -> CalendarOut:
    start, end = _utc(start), _utc(end)
    _check_window(start, end)
    entries: list[CalendarEntry] = []
    rows = await CalendarRepository(session).publications_between(account_id, start, end, profile_id)
    campaigns = await CampaignRepository(session).not_ended(account_id, profile_id=profile_id)
    profile_ids = {pid for _, pid in rows if pid} | {c.profile_id for c in campaigns}
    zones = await CalendarRepository(session).timezones(account_id, sorted(profile_ids))

    def local(at: datetime, pid: str | None) -> datetime:
        return at.astimezone(load_timezone(zones.get(pid or "", "UTC")))

    for publication, pid in rows:
        published = publication.status == PublicationStatus.PUBLISHED
        at = publication.published_at if published else publication.scheduled_at
        entries.append(
            CalendarEntry(
                kind=CalendarEntryKind.PUBLISHED_POST if published else CalendarEntryKind.SCHEDULED_PUBLISH,
                at=at,
                local=local(at, pid),
                profile_id=pid,
                content_id=publication.content_id,
                publication_id=publication.id,
                account_id=publication.social_account_id,
                platform=publication.platform,
                url=publication.url,
            )
        )
    floor = max(start, utcnow())
    for campaign in campaigns:
        if campaign.status != CampaignStatus.ACTIVE:
            continue
        slots = [WeeklySlot(int(d), int(m)) for d, m in campaign.weekly_slots]
        for at in upcoming(
            slots,
            load_timezone(campaign.timezone),
            floor,
            MAX_SLOTS,
            start_at=campaign.start_at,
            end_at=min(end, campaign.end_at) if campaign.end_at else end,
        ):
            if at < end:
                entries.append(
                    CalendarEntry(
                        kind=CalendarEntryKind.CAMPAIGN_SLOT,
                        at=at,
                        local=local(at, campaign.profile_id),
                        profile_id=campaign.profile_id,
                        campaign_id=campaign.id,
                    )
                )
    entries.sort(key=lambda e: (e.at, e.kind, e.content_id or e.campaign_id or ""))
    return CalendarOut(start=start, end=end, data=entries)
