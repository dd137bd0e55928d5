"""Keyset pagination over ``(created_at, id)``, newest first. The cursor is opaque to callers, but its shape
is published as ``CURSOR_PATTERN`` and every string of that shape is a position the API can resume from,
so the schema can tell clients exactly which cursors are accepted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# "<microseconds since the epoch>~<row id>". 16 digits reach the year 2286, far inside datetime's range, so
# any cursor of this shape decodes; one that names no row just starts the page at that position.
CURSOR_PATTERN = r"^[0-9]{1,16}~[0-9a-z_]{1,64}$"
_CURSOR = re.compile(CURSOR_PATTERN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: str) -> str:
    aware = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    return f"{(aware - _EPOCH) // timedelta(microseconds=1)}~{row_id}"


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    if not _CURSOR.fullmatch(cursor):
        raise ValidationFailed(
            "cursor is not one this API issued", details=[{"field": "cursor", "message": "invalid cursor"}]
        )
    micros, row_id = cursor.split("~", 1)
    return _EPOCH + timedelta(microseconds=int(micros)), row_id


async def paginate(
    session: AsyncSession,
    query: Select[Any],
    *,
    created_col: InstrumentedAttribute[datetime],
    id_col: InstrumentedAttribute[str],
    limit: int,
    cursor: str | None,
) -> Page[Any]:
    """Run ``query`` one page at a time; the query must select one entity that has both columns."""
    if cursor:
        created_at, row_id = decode_cursor(cursor)
        query = query.where(or_(created_col < created_at, and_(created_col == created_at, id_col < row_id)))
    rows = list((await session.scalars(query.order_by(created_col.desc(), id_col.desc()).limit(limit + 1))).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, created_col.key), getattr(last, id_col.key))
    return Page(items=rows, next_cursor=next_cursor)
