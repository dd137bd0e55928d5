"""A campaign's Schedule definition for tests that build the Schedule without the API: a Europe/Paris
campaign of a probe account, with only its slots, lead and window varying."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from contracts.campaign_schedule import CampaignScheduleSpec
from domain.campaign_slots import WeeklySlot


def probe_spec(
    slots: Sequence[WeeklySlot], *, lead: timedelta, start_at: datetime | None = None, end_at: datetime | None = None
) -> CampaignScheduleSpec:
    return CampaignScheduleSpec(
        campaign_id=f"cmp_{uuid.uuid4().hex[:12]}",
        account_id="acct_probe",
        name="probe campaign",
        profile_id="prof_probe",
        influencer_id=None,
        social_account_ids=[],
        slots=list(slots),
        timezone="Europe/Paris",
        lead=lead,
        start_at=start_at,
        end_at=end_at,
        paused=False,
    )
