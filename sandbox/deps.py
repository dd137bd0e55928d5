"""What the sandbox's endpoints need from the process that mounts them, read from ``app.state`` (the API
builds the session factory, cipher and settings once; the sandbox only borrows them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import TokenCipher
from core.settings import Settings
from store.db import request_unit_of_work
from store.pagination import DEFAULT_LIMIT, MAX_LIMIT


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request_unit_of_work(request.app.state.session_factory) as session:
        yield session


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _cipher(request: Request) -> TokenCipher:
    cipher: TokenCipher = request.app.state.cipher
    return cipher


SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(_settings)]
CipherDep = Annotated[TokenCipher, Depends(_cipher)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=500, description="nextCursor of the previous page")]
DEFAULT_PAGE_SIZE = DEFAULT_LIMIT
