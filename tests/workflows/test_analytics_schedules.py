"""The worker's start-up pass gives every connected account its analytics Schedule (accounts connected before
analytics existed, or while Temporal was down), and re-running it keeps a pause an operator set."""

from __future__ import annotations

import secrets

from activities.analytics_schedules import ensure_analytics_schedules
from contracts.analytics import analytics_schedule_id
from core.ids import new_id
from domain.accounts import SocialAccountStatus
from store.db import transaction
from store.models import SocialAccount
from tests.utils.factories import Tenant
from tests.utils.stack import Stack


async def test_accounts_without_a_schedule_get_one_and_a_pause_survives(stack: Stack, tenant: Tenant) -> None:
    # Written straight to the database, as an account connected before analytics existed would be.
    account_id = new_id("acc")
    async with transaction(stack.sessions) as session:
        session.add(
            SocialAccount(
                id=account_id,
                account_id=tenant.account_id,
                platform="sandbox",
                handle=f"old_{secrets.token_hex(3)}",
                platform_user_id=new_id("sbx"),
                status=SocialAccountStatus.ACTIVE,
            )
        )
    handle = stack.client.get_schedule_handle(analytics_schedule_id(account_id))

    created = await ensure_analytics_schedules(stack.client, stack.sessions, stack.settings)
    await handle.pause(note="operator pause")
    again = await ensure_analytics_schedules(stack.client, stack.sessions, stack.settings)
    description = await handle.describe()
    await handle.delete()

    assert created >= 1
    assert again == 0  # nothing new: every account already had its Schedule
    assert description.schedule.state.paused
    assert description.schedule.spec.intervals[0].every.total_seconds() == stack.settings.analytics_sync_minutes * 60
