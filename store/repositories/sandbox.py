"""The local sandbox platform's storage: its posts, and the faults it was told to inject.

The sandbox is a social network of its own, so it looks accounts up the way a platform would: by the
platform user id it issued at connect time, not by our tenant ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import new_id
from store.models import SandboxPost, SocialAccount
from store.pagination import Page, paginate
from store.types import utcnow

SANDBOX = "sandbox"
# Faults that stay until cleared instead of being used up one request at a time.
PERSISTENT_FAULTS = frozenset({"permanent"})


class SandboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- accounts, as the sandbox platform sees them ---------------------------------------------

    async def account_for_user(self, platform_user_id: str) -> SocialAccount | None:
        return await self.session.scalar(
            select(SocialAccount)
            .where(SocialAccount.platform == SANDBOX, SocialAccount.platform_user_id == platform_user_id)
            .limit(1)
        )

    async def consume_fault(self, social_account_id: str) -> dict[str, Any] | None:
        """The fault this request must suffer, if any, using up one of its ``times``.

        Atomic on both backends: touching the row first takes PostgreSQL's row lock and SQLite's write
        lock, so two concurrent requests cannot both read ``times: 1`` and both fail."""
        await self.session.execute(
            update(SocialAccount)
            .where(SocialAccount.id == social_account_id)
            .values(updated_at=SocialAccount.updated_at)
            .execution_options(synchronize_session=False)
        )
        # A column select reads the row as committed now, not the copy the session may hold.
        faults: dict[str, Any] | None = await self.session.scalar(
            select(SocialAccount.sandbox_faults).where(SocialAccount.id == social_account_id)
        )
        if not faults or faults.get("mode") in (None, "none"):
            return None
        if faults["mode"] in PERSISTENT_FAULTS:
            return dict(faults)
        times = int(faults.get("times", 1))
        if times <= 0:
            return None
        left: dict[str, Any] = {**faults, "times": times - 1} if times > 1 else {}
        await self.session.execute(
            update(SocialAccount)
            .where(SocialAccount.id == social_account_id)
            .values(sandbox_faults=left)
            .execution_options(synchronize_session="fetch")
        )
        return dict(faults)

    # -- posts -----------------------------------------------------------------------------------

    async def create_post(
        self, platform_user_id: str, text: str, media_urls: list[str], idempotency_key: str | None
    ) -> tuple[SandboxPost, bool]:
        """The post, and whether it is new. A repeated idempotency key returns the first post instead."""
        if idempotency_key is not None:
            existing = await self.by_idempotency_key(platform_user_id, idempotency_key)
            if existing is not None:
                return existing, False
        post = SandboxPost(
            id=new_id("sbxp"),
            platform_user_id=platform_user_id,
            text=text,
            media_urls=media_urls,
            idempotency_key=idempotency_key,
            created_at=utcnow(),
        )
        try:
            # A savepoint, so losing a race on the unique key leaves the surrounding transaction usable.
            async with self.session.begin_nested():
                self.session.add(post)
        except IntegrityError:
            if idempotency_key is None:
                raise
            winner = await self.by_idempotency_key(platform_user_id, idempotency_key)
            if winner is None:
                raise
            return winner, False
        return post, True

    async def add_historical_post(
        self, platform_user_id: str, text: str, media_urls: list[str], created_at: datetime
    ) -> SandboxPost:
        """A post the account made in the past, as if it had been on the sandbox all along (seeding an
        account's history for import); published outside our API, so it carries no idempotency key."""
        post = SandboxPost(
            id=new_id("sbxp"),
            platform_user_id=platform_user_id,
            text=text,
            media_urls=media_urls,
            idempotency_key=None,
            created_at=created_at,
        )
        self.session.add(post)
        await self.session.flush()
        return post

    async def by_idempotency_key(self, platform_user_id: str, idempotency_key: str) -> SandboxPost | None:
        return await self.session.scalar(
            select(SandboxPost).where(
                SandboxPost.platform_user_id == platform_user_id, SandboxPost.idempotency_key == idempotency_key
            )
        )

    async def get(self, platform_user_id: str, post_id: str, *, include_deleted: bool = False) -> SandboxPost | None:
        query = select(SandboxPost).where(SandboxPost.platform_user_id == platform_user_id, SandboxPost.id == post_id)
        if not include_deleted:
            query = query.where(SandboxPost.deleted_at.is_(None))
        return await self.session.scalar(query)

    async def get_public(self, handle: str, post_id: str) -> tuple[SandboxPost, SocialAccount] | None:
        """A live post with its author, addressed the way its public URL does (``@handle/post``)."""
        row = (
            await self.session.execute(
                select(SandboxPost, SocialAccount)
                .join(SocialAccount, SocialAccount.platform_user_id == SandboxPost.platform_user_id)
                .where(
                    SandboxPost.id == post_id,
                    SandboxPost.deleted_at.is_(None),
                    SocialAccount.platform == SANDBOX,
                    SocialAccount.handle == handle,
                )
                .limit(1)
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    async def list_posts(
        self, platform_user_id: str, *, limit: int, cursor: str | None, since: datetime | None = None
    ) -> Page[SandboxPost]:
        """Live posts, newest first."""
        query: Any = select(SandboxPost).where(
            SandboxPost.platform_user_id == platform_user_id, SandboxPost.deleted_at.is_(None)
        )
        if since is not None:
            query = query.where(SandboxPost.created_at >= since)
        return await paginate(
            self.session, query, created_col=SandboxPost.created_at, id_col=SandboxPost.id, limit=limit, cursor=cursor
        )

    async def soft_delete(self, post: SandboxPost) -> SandboxPost:
        if post.deleted_at is None:
            post.deleted_at = utcnow()
            await self.session.flush()
        return post

    async def count_live(self, platform_user_id: str) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(SandboxPost)
            .where(SandboxPost.platform_user_id == platform_user_id, SandboxPost.deleted_at.is_(None))
        )
        return int(count or 0)
