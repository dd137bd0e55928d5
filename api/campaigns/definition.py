"""Checking a campaign's definition against the caller's resources: its profile and influencer, the weekly
slots its schedule gives, the accounts it posts to, its window and lead time. Each refusal is a 422 naming
the field; nothing is written until all of it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.campaigns.schemas import ScheduleIn
from core.errors import ValidationFailed
from domain.accounts import SocialAccountStatus
from domain.campaign_slots import WeeklySlot, slots_from_days_and_times, slots_from_routines, smallest_gap
from domain.cron import slots_from_cron
from store.models import Influencer, Profile
from store.repositories.campaigns import CampaignRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository, SocialAccountRepository


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details=[{"field": field, "message": message}])


@dataclass(frozen=True)
class Owner:
    profile: Profile
    influencer: Influencer


async def owner_of(session: AsyncSession, account_id: str, profile_id: str) -> Owner:
    profile = await ProfileRepository(session).get(account_id, profile_id)
    if profile is None:
        raise invalid("profileId", f"{profile_id} is not one of your profiles")
    influencer = None
    if profile.influencer_id:
        influencer = await InfluencerRepository(session).get(account_id, profile.influencer_id)
    if influencer is None:
        raise invalid("profileId", "campaigns generate content for an AI influencer; this profile has none")
    return Owner(profile, influencer)


def weekly_slots(schedule: ScheduleIn, influencer: Influencer) -> list[WeeklySlot]:
    given = [
        name
        for name, on in (("slots", schedule.slots), ("cron", schedule.cron), ("fromRoutines", schedule.from_routines))
        if on
    ]
    if len(given) != 1:
        raise invalid("schedule", "give exactly one of slots, cron or fromRoutines")
    try:
        if schedule.slots:
            return sorted({s for slot in schedule.slots for s in slots_from_days_and_times(slot.days, slot.times)})
        if schedule.cron:
            return slots_from_cron(schedule.cron)
        routines: list[dict[str, Any]] = list(influencer.ingredients.get("routines") or [])
        found = slots_from_routines(routines)
    except ValueError as exc:
        raise invalid(f"schedule.{given[0]}", str(exc)) from exc
    if not found:
        raise invalid("schedule.fromRoutines", "the influencer has no routines with a time of day")
    return found


def check_window(start_at: datetime | None, end_at: datetime | None) -> None:
    if start_at is not None and end_at is not None and end_at <= start_at:
        raise invalid("endAt", "must be after startAt")


def check_lead(slots: list[WeeklySlot], lead: timedelta) -> None:
    """A run lasts from its fire time to its slot; slots closer than that would overlap and be skipped."""
    gap = smallest_gap(slots)
    if gap <= lead:
        raise invalid("leadTime", f"slots {gap} apart need a shorter leadTime than {lead}")


async def social_accounts(
    session: AsyncSession, account_id: str, profile: Profile, account_ids: list[str] | None
) -> list[str]:
    if account_ids is None:
        found = await SocialAccountRepository(session).for_profiles(account_id, [profile.id])
        active = [a.id for a in found if a.status == SocialAccountStatus.ACTIVE]
        if not active:
            raise invalid("accountIds", "the profile has no connected accounts; connect one or pass accountIds")
        return active
    if not account_ids:
        raise invalid("accountIds", "give at least one account")
    known = {a.id: a for a in await CampaignRepository(session).social_accounts(account_id, account_ids)}
    for index, social_account_id in enumerate(account_ids):
        found_account = known.get(social_account_id)
        if found_account is None or found_account.profile_id != profile.id:
            raise invalid(f"accountIds.{index}", f"{social_account_id} is not an account of profile {profile.id}")
    return list(dict.fromkeys(account_ids))


def check_directions(profile: Profile, direction_ids: list[str]) -> None:
    known = {str(d.get("id")) for d in profile.content_directions}
    for index, direction_id in enumerate(direction_ids):
        if direction_id not in known:
            raise invalid(f"contentDirectionIds.{index}", f"{direction_id} is not a direction of the profile")
