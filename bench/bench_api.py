"""API hot path against its anchor: ``python -m bench.bench_api [--seconds 5] [--connections 8]``.

For SQLite and (when reachable) PostgreSQL: seeds one account with a key and 25 influencers with two
reference images each, starts our API and the plain FastAPI + SQLAlchemy anchor (``bench/api_anchor.py``)
as uvicorn processes with uvicorn's defaults and the rate limit raised out of the way, then drives each
endpoint with the same closed-loop load (``bench/loadgen.py``), anchor first, ours right after, and prints
requests per second, p50 and p99 and our ratio to the anchor. Figures, never assertions."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import LoadResult, build_request, run_load
from bench.processes import cpu_seconds
from core.ids import new_id
from core.scopes import ALL_SCOPES
from store.db import create_engine, create_session_factory, transaction
from store.models import Influencer, ReferenceImage
from store.repositories.accounts import AccountRepository, ApiKeyRepository
from tests.utils.databases import create_postgres_database, create_sqlite_database, drop_postgres_database
from tests.utils.services import POSTGRES_HOST, POSTGRES_PORT, reachable

INFLUENCERS = 25
HOST = "127.0.0.1"


async def seed(url: str) -> tuple[str, str]:
    """A key's secret and one influencer id."""
    engine = create_engine(url)
    try:
        async with transaction(create_session_factory(engine)) as session:
            account = await AccountRepository(session).get_or_create("bench")
            _, secret = await ApiKeyRepository(session).create(account.id, ALL_SCOPES, "bench")
            first = ""
            for n in range(INFLUENCERS):
                influencer = Influencer(
                    id=new_id("inf"), account_id=account.id, name=f"Mia {n}", bio="bio " * 20,
                    personality="warm, curious", base_prompt="woman, 27, auburn bob, freckles",
                    appearance={"hair": "auburn bob", "eyes": "green"}, aesthetic_grade="film_35mm",
                    ingredients={"settings": ["Paris cafe", "beach"], "moods": ["relaxed"], "props": [],
                                 "routines": [], "wardrobe": [{"name": "red linen jacket", "category": "outerwear",
                                                               "description": "", "colors": ["red"]}]},
                )
                session.add(influencer)
                for position, view in enumerate(("front", "profile")):
                    session.add(ReferenceImage(
                        id=new_id("ref"), influencer_id=influencer.id, view=view, position=position,
                        media_key=f"{account.id}/{influencer.id}/references/{view}.png", content_type="image/png",
                        source="upload",
                    ))
                first = first or influencer.id
    finally:
        await engine.dispose()
    return secret, first


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    port: int
    pid: int


@contextmanager
def uvicorn(factory: str, env: dict[str, str]) -> Iterator[Server]:
    port = _free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", HOST, "--port", str(port)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        deadline = time.monotonic() + 120  # imports alone take tens of seconds on a busy machine
        while not reachable(HOST, port):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"{factory} did not start:\n{log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@asynccontextmanager
async def databases(include_postgres: bool) -> AsyncIterator[list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        found = [("SQLite", await create_sqlite_database(Path(tmp)))]
        name = None
        if include_postgres and reachable(POSTGRES_HOST, POSTGRES_PORT):
            url, name = await create_postgres_database()
            found.append(("PostgreSQL", url))
        try:
            yield found
        finally:
            if name is not None:
                await drop_postgres_database(name)


@dataclass(frozen=True)
class Measured:
    load: LoadResult
    cpu_ms: float  # server CPU per request

    def cell(self) -> str:
        load = self.load
        return f"{load.rps:,.0f} req/s, p50 {load.p50:.1f} ms, p99 {load.p99:.1f} ms, {self.cpu_ms:.2f} CPU ms/req"


async def measure(server: Server, request: list[bytes], connections: int, seconds: float) -> Measured:
    await run_load(HOST, server.port, request, connections=connections, seconds=0.5, warmup=0)
    before = cpu_seconds(server.pid)
    load = await run_load(HOST, server.port, request, connections=connections, seconds=seconds, warmup=0)
    cpu = cpu_seconds(server.pid) - before
    return Measured(load, cpu * 1000 / max(1, load.requests))


def _row(label: str, anchor: Measured, ours: Measured) -> str:
    ratio = ours.load.rps / anchor.load.rps if anchor.load.rps else float("nan")
    cpu_ratio = anchor.cpu_ms / ours.cpu_ms if ours.cpu_ms else float("nan")
    return (
        f"| {label} | {anchor.cell()} | {ours.cell()} | {ratio:.2f}x | {cpu_ratio:.2f}x "
        f"| {anchor.load.errors}/{ours.load.errors} |"
    )


async def main(seconds: float, connections: int, include_postgres: bool = True, rounds: int = 2) -> None:
    print(f"\nAPI hot path: {connections} connections, best of {rounds} alternating {seconds:.0f} s runs, "
          "uvicorn defaults, one process each")
    print("| endpoint | anchor (plain FastAPI + SQLAlchemy) | ours | ours/anchor req/s | anchor/ours CPU per req "
          "| errors a/o |")
    print("| --- | --- | --- | --- | --- | --- |")
    async with databases(include_postgres) as found:
        for db_label, url in found:
            secret, influencer_id = await seed(url)
            with tempfile.TemporaryDirectory() as data_dir:
                env = {
                    "AUTOPERSONAS_DATABASE_URL": url, "AUTOPERSONAS_DATA_DIR": data_dir,
                    "AUTOPERSONAS_RATE_LIMIT_PER_MINUTE": "100000000", "AUTOPERSONAS_LOG_LEVEL": "WARNING",
                    "AUTOPERSONAS_REDIS_URL": "",
                }
                headers = {"Authorization": f"Bearer {secret}"}
                paths = {
                    "GET /influencers (page of 20)": "/api/v1/influencers",
                    "GET /influencers/{id}": f"/api/v1/influencers/{influencer_id}",
                }
                with uvicorn("bench.api_anchor:anchor_app", env) as anchor, uvicorn("api.app:main_app", env) as ours:
                    for label, path in paths.items():
                        request = [build_request("GET", path, HOST, headers)]
                        # Alternate anchor and ours, best of ``rounds`` each: the machine is shared, and a
                        # burst of someone else's work should not decide a ratio.
                        best: dict[int, Measured] = {}
                        for _ in range(rounds):
                            for server in (anchor, ours):
                                result = await measure(server, request, connections, seconds)
                                if server.pid not in best or result.load.rps > best[server.pid].load.rps:
                                    best[server.pid] = result
                        print(_row(f"{label}, {db_label}", best[anchor.pid], best[ours.pid]), flush=True)

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.connections, not args.no_postgres))
