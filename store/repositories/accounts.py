"""Accounts (tenants) and their API keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import new_id
from core.scopes import Scope
from core.secrets import display_prefix, hash_secret, new_api_secret
from store.models import Account, ApiKey
from store.revocations import note_revocation_on_commit
from store.types import utcnow


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, account_id: str) -> Account | None:
        return await self.session.get(Account, account_id)

    async def get_by_name(self, name: str) -> Account | None:
        return await self.session.scalar(select(Account).where(Account.name == name))

    async def get_or_create(self, name: str) -> Account:
        account = await self.get_by_name(name)
        if account is None:
            account = Account(id=new_id("acct"), name=name)
            self.session.add(account)
            await self.session.flush()
        return account

    async def list(self) -> Sequence[Account]:
        return (await self.session.scalars(select(Account).order_by(Account.created_at))).all()


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, account_id: str, scopes: Sequence[Scope], name: str = "") -> tuple[ApiKey, str]:
        """A new key and its secret; the secret is not stored and cannot be shown again."""
        secret = new_api_secret()
        key = ApiKey(
            id=new_id("key"),
            account_id=account_id,
            name=name,
            prefix=display_prefix(secret),
            secret_hash=hash_secret(secret),
            scopes=[scope.value for scope in scopes],
        )
        self.session.add(key)
        await self.session.flush()
        return key, secret

    async def get_by_secret(self, secret: str) -> ApiKey | None:
        return await self.get_by_hash(hash_secret(secret))

    async def get_by_hash(self, secret_hash: str) -> ApiKey | None:
        """The key whose current secret this is, or whose previous secret this is within its grace period."""
        current = await self.session.scalar(select(ApiKey).where(ApiKey.secret_hash == secret_hash))
        if current is not None:
            return current
        return await self.session.scalar(
            select(ApiKey).where(ApiKey.previous_secret_hash == secret_hash, ApiKey.previous_expires_at > utcnow())
        )

    async def rotate(self, key_id: str, grace: timedelta) -> tuple[ApiKey, str] | None:
        """A new secret for a live key; the one it replaces keeps working for ``grace`` (a secret rotated
        out earlier stops now: only one previous secret is kept). None for an unknown or revoked key."""
        key = await self.get(key_id)
        if key is None or key.revoked_at is not None:
            return None
        secret = new_api_secret()
        key.previous_prefix, key.previous_secret_hash = key.prefix, key.secret_hash
        key.previous_expires_at = utcnow() + grace
        key.prefix, key.secret_hash = display_prefix(secret), hash_secret(secret)
        await self.session.flush()
        return key, secret

    async def get(self, key_id: str) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id)

    async def touch(self, key_id: str, when: datetime) -> None:
        """Record use without loading the row: one UPDATE, whoever read the key."""
        await self.session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))

    async def list(self, account_id: str | None = None) -> Sequence[ApiKey]:
        query = select(ApiKey).order_by(ApiKey.created_at)
        if account_id:
            query = query.where(ApiKey.account_id == account_id)
        return (await self.session.scalars(query)).all()

    async def revoke(self, key_id: str) -> ApiKey | None:
        key = await self.get(key_id)
        if key is not None and key.revoked_at is None:
            key.revoked_at = utcnow()
            await self.session.flush()
            note_revocation_on_commit(self.session.sync_session, key.id)
        return key
