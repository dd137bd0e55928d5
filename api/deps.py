"""Typed dependency aliases: routes ask for ``SessionDep``, ``StorageDep``... and never build them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator
from sqlalchemy.ext.asyncio import AsyncSession

from api.temporal import TemporalGateway
from core.crypto import TokenCipher
from core.settings import Settings
from providers.storage.base import MediaStorage
from store.db import request_unit_of_work
from store.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request is the unit of work: commit when the endpoint returns, roll back when it raises."""
    async with request_unit_of_work(request.app.state.session_factory) as session:
        yield session


# Every dependency here is ``async def`` though none awaits: FastAPI runs a plain ``def`` dependency in the
# thread pool, a thread hop per dependency per request on the hot path.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_storage(request: Request) -> MediaStorage:
    storage: MediaStorage = request.app.state.storage
    return storage


async def get_cipher(request: Request) -> TokenCipher:
    cipher: TokenCipher = request.app.state.cipher
    return cipher


async def get_temporal(request: Request) -> TemporalGateway:
    gateway: TemporalGateway = request.app.state.temporal
    return gateway


# scope="function": commit before the response is sent, so a client never reads ahead of its own write.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[MediaStorage, Depends(get_storage)]
TemporalDep = Annotated[TemporalGateway, Depends(get_temporal)]
CipherDep = Annotated[TokenCipher, Depends(get_cipher)]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
Cursor = Annotated[str | None, Query(pattern=CURSOR_PATTERN, description="nextCursor of the previous page (opaque)")]
DEFAULT_PAGE_SIZE = DEFAULT_LIMIT


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> object:
    """Pydantic's lax date parsing also reads ``0`` as 1970-01-01; the schema says ``format: date``, so only
    ``YYYY-MM-DD`` is a day here."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


def _iso_instant(value: object) -> object:
    """Lax datetime parsing reads ``0`` as the epoch; the schema says ``format: date-time``, so a time is
    ISO 8601 starting with its ``YYYY-MM-DD`` day."""
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("expected an ISO 8601 date-time such as 2026-03-01T09:00:00Z")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Instant = Annotated[datetime, BeforeValidator(_iso_instant)]
