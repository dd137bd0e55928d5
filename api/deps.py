"""Typed dependency aliases: routes ask for ``SessionDep``, ``StorageDep``... and never build them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
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
