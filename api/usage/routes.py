"""``/usage``: what the account was charged, per UTC day and billable action, from the usage ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AnalyticsRead
from api.deps import SessionDep
from api.usage import service
from api.usage.schemas import UsageSummary
from core.errors import ValidationFailed
from core.wire import Day

router = APIRouter(prefix="/usage", tags=["usage"])

@router.get(
    "",
    response_model=UsageSummary,
    summary="Usage and charges",
    description=(
        "Charges from the published rate table, grouped by UTC day and action. `from` and `to` are "
        "`YYYY-MM-DD` UTC days, both inclusive; either may be left out."
    ),
)
async def get_usage(
    principal: AnalyticsRead,
    session: SessionDep,
    start: Annotated[Day | None, Query(alias="from", description="First UTC day, YYYY-MM-DD")] = None,
    end: Annotated[Day | None, Query(alias="to", description="Last UTC day (inclusive), YYYY-MM-DD")] = None,
) -> UsageSummary:
    if start is not None and end is not None and start > end:
        raise ValidationFailed(
            f"from ({start}) is after to ({end})", details=[{"field": "from", "message": "must not be after to"}]
        )
    return await service.usage_summary(session, principal.account_id, start, end)
