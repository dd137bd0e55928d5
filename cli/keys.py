"""Key management for the CLI, on its own short-lived engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from core.scopes import Scope
from core.settings import Settings
from store.db import create_engine, create_session_factory, transaction
from store.models import ApiKey
from store.repositories.accounts import AccountRepository, ApiKeyRepository


async def create_key(settings: Settings, account_name: str, scopes: Sequence[Scope], name: str) -> tuple[ApiKey, str]:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            account = await AccountRepository(session).get_or_create(account_name)
            return await ApiKeyRepository(session).create(account.id, scopes, name)
    finally:
        await engine.dispose()


async def list_keys(settings: Settings, account_name: str | None) -> list[tuple[ApiKey, str]]:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            accounts = {a.id: a.name for a in await AccountRepository(session).list()}
            account_id = None
            if account_name:
                matching = [aid for aid, aname in accounts.items() if aname == account_name]
                if not matching:
                    return []
                account_id = matching[0]
            keys = await ApiKeyRepository(session).list(account_id)
            return [(key, accounts.get(key.account_id, "?")) for key in keys]
    finally:
        await engine.dispose()


async def revoke_key(settings: Settings, key_id: str) -> bool:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            return await ApiKeyRepository(session).revoke(key_id) is not None
    finally:
        await engine.dispose()


async def rotate_key(settings: Settings, key_id: str, grace: timedelta) -> tuple[ApiKey, str] | None:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            return await ApiKeyRepository(session).rotate(key_id, grace)
    finally:
        await engine.dispose()


async def has_any_account(settings: Settings) -> bool:
    engine = create_engine(settings.resolved_database_url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            return bool(await AccountRepository(session).list())
    finally:
        await engine.dispose()
