"""``GET /calendar``: one list of what is scheduled, published and coming up from campaigns in a window."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import ContentRead
from api.calendar import service
from api.calendar.schemas import CalendarOut
from api.deps import SessionDep

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get(
    "",
    response_model=CalendarOut,
    response_model_by_alias=True,
    summary="The calendar of a window",
    description=(
        "Scheduled publishes, published posts and upcoming campaign slots between `from` and `to` (at most 92 "
        "days), oldest first, each in UTC and in its profile's local time."
    ),
)
async def get_calendar(
    principal: ContentRead,
    session: SessionDep,
    start: Annotated[datetime, Query(alias="from")],
    end: Annotated[datetime, Query(alias="to")],
    profile_id: Annotated[str | None, Query(alias="profileId", max_length=40)] = None,
) -> CalendarOut:
    return await service.calendar(session, principal.account_id, start, end, profile_id)
