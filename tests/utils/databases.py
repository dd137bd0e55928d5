"""Throwaway databases: a SQLite file, or a PostgreSQL database created and dropped by the test run."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg

from store.migrate import upgrade_async
from tests.utils.services import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER


async def create_sqlite_database(directory: Path) -> str:
    url = f"sqlite+aiosqlite:///{directory / 'autopersonas.db'}"
    await upgrade_async(url)
    return url


async def create_postgres_database() -> tuple[str, str]:
    name = f"autopersonas_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database="postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    url = f"postgresql+asyncpg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    await upgrade_async(url)
    return url, name


async def drop_postgres_database(name: str) -> None:
    conn = await asyncpg.connect(host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database="postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
