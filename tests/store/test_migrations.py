"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL: a model change
without its migration (or a migration that drifts from its model) fails here, not in production."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from store.db import create_engine
from store.migrate import alembic_config, upgrade
from store.models import Base
from tests.utils.databases import create_postgres_database, create_sqlite_database, drop_postgres_database


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _schema_differences(url: str) -> list[Any]:
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


async def test_sqlite_schema_from_migrations_matches_the_models(tmp_path: Any) -> None:
    url = await create_sqlite_database(tmp_path)
    assert await _schema_differences(url) == []


@pytest.mark.postgres
async def test_postgres_schema_from_migrations_matches_the_models() -> None:
    url, name = await create_postgres_database()
    try:
        assert await _schema_differences(url) == []
    finally:
        await drop_postgres_database(name)


def test_migrations_form_one_line_of_history() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = list(script.walk_revisions())
    assert [r.revision for r in reversed(revisions)] == sorted(r.revision for r in revisions)
