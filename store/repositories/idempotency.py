"""Stored first responses for ``Idempotency-Key`` requests, per API key, with an expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import IdempotencyRecord
from store.types import utcnow


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, api_key_id: str, key: str) -> IdempotencyRecord | None:
        return await self.session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.api_key_id == api_key_id,
                IdempotencyRecord.key == key,
                IdempotencyRecord.expires_at > utcnow(),
            )
        )

    async def claim(self, api_key_id: str, key: str, request_hash: str, expires_at: datetime) -> bool:
        """Reserve the key for a request in flight; False when another request holds it already."""
        await self.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.api_key_id == api_key_id,
                IdempotencyRecord.key == key,
                IdempotencyRecord.expires_at <= utcnow(),
            )
        )
        try:
            # A savepoint, so losing the race leaves the surrounding transaction usable.
            async with self.session.begin_nested():
                self.session.add(
                    IdempotencyRecord(api_key_id=api_key_id, key=key, request_hash=request_hash, expires_at=expires_at)
                )
        except IntegrityError:
            return False
        return True

    async def complete(self, api_key_id: str, key: str, status_code: int, headers: dict[str, Any], body: bytes) -> None:
        record = await self.get(api_key_id, key)
        if record is not None:
            record.status_code = status_code
            record.response_headers = headers
            record.response_body = body
            await self.session.flush()

    async def release(self, api_key_id: str, key: str) -> None:
        """Forget a claim whose request failed on our side, so the client may try again."""
        await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.api_key_id == api_key_id, IdempotencyRecord.key == key)
        )

    async def purge_expired(self) -> int:
        result = await self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow()))
        return int(getattr(result, "rowcount", 0))
