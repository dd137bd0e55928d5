"""Analytics endpoints over 100,000 snapshot rows on PostgreSQL: ``python -m bench.bench_analytics
[--posts 2000 --runs 50]``.

Seeds one tenant with ``posts`` published posts on four connected accounts and ``runs`` sync runs of each
(``posts * runs`` rows in ``metric_snapshots``, one latest row per post in ``post_metrics``, one account row
per run), then times each endpoint through the real ASGI app (median and worst of 20 calls after a warm-up),
beside an anchor endpoint that reads almost nothing.
The endpoints read ``post_metrics`` through ``ix_post_metrics_account_published`` (account, publish time)
and the account runs through ``ix_account_metric_snapshots_account_collected``; the plan of the stats query
is printed. Figures to read, nothing asserted."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select, text

from api.app import create_app
from core.logging import configure_logging
from core.settings import Settings
from store.db import create_engine, create_session_factory
from store.migrate import upgrade_async
from store.models import AccountMetricSnapshot, MetricSnapshot, PostMetrics
from tests.utils.databases import create_postgres_database, drop_postgres_database
from tests.utils.factories import make_tenant

ENDPOINTS = (
    # Anchor: an endpoint that reads almost nothing, so the API's own cost per request (key check and its
    # usage write, rate limit, middleware) shows beside the analytics figures.
    "/api/v1/profiles",
    "/api/v1/analytics/stats",
    "/api/v1/analytics/engagement?interval=day",
    "/api/v1/analytics/top-content?metric=engagementRate&limit=50",
    "/api/v1/analytics/platforms",
)
PLATFORMS = ("sandbox", "x", "tiktok", "instagram")


def _counters(post: int, run: int) -> dict[str, int]:
    views = 100 * (post % 97 + 1) + 40 * run
    return {
        "views": views,
        "impressions": views * 2,
        "likes": views // 20,
        "comments": views // 90,
        "shares": views // 150,
        "saves": views // 200,
    }


async def seed(url: str, account_id: str, posts: int, runs: int) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as conn:
            latest, history = [], []
            for post in range(posts):
                account = f"acc_bench{post % len(PLATFORMS)}"
                published = now - timedelta(days=29, hours=-(post * 29 * 24 // posts))
                base = {
                    "account_id": account_id,
                    "social_account_id": account,
                    "platform": PLATFORMS[post % len(PLATFORMS)],
                    "platform_post_id": f"p{post}",
                }
                for run in range(runs):
                    history.append(
                        {
                            **base,
                            "content_id": f"cnt_b{post // 2}",
                            "collected_at": now - timedelta(hours=runs - run),
                            **_counters(post, run),
                        }
                    )
                latest.append(
                    {
                        **base,
                        "content_id": f"cnt_b{post // 2}",
                        "published_at": published,
                        "collected_at": now - timedelta(hours=1),
                        **_counters(post, runs - 1),
                    }
                )
            for start in range(0, len(history), 10_000):
                await conn.execute(insert(MetricSnapshot), history[start : start + 10_000])
            await conn.execute(insert(PostMetrics), latest)
            accounts = [
                {
                    "account_id": account_id,
                    "social_account_id": f"acc_bench{n}",
                    "platform": PLATFORMS[n],
                    "collected_at": now - timedelta(hours=runs - run),
                    "followers": 1000 + run,
                    "outcome": "synced",
                }
                for n in range(len(PLATFORMS))
                for run in range(runs)
            ]
            await conn.execute(insert(AccountMetricSnapshot), accounts)
            await conn.execute(text("ANALYZE"))
            count = (await conn.execute(select(func.count()).select_from(MetricSnapshot))).scalar_one()
            print(f"seeded {count:,} snapshot rows ({posts:,} posts x {runs} runs), {len(accounts)} account runs")
            plan = await conn.execute(
                text(
                    "EXPLAIN SELECT count(*), sum(likes) FROM post_metrics WHERE account_id = :a "
                    "AND published_at >= :s AND published_at < :e"
                ),
                {"a": account_id, "s": now - timedelta(days=30), "e": now},
            )
            print("stats plan: " + " | ".join(row[0].strip() for row in plan))
    finally:
        await engine.dispose()


async def main(posts: int, runs: int) -> None:
    # Under ``make bench`` an earlier bench's worker set the root logger to INFO: the migrations and every
    # request would print a line between the figures.
    configure_logging("WARNING")
    url, name = await create_postgres_database()
    try:
        await upgrade_async(url)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), database_url=url, rate_limit_per_minute=100_000,
                                log_level="WARNING")
            engine = create_engine(url)
            tenant = await make_tenant(create_session_factory(engine))
            await engine.dispose()
            await seed(url, tenant.account_id, posts, runs)
            app = create_app(settings)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http,
            ):
                for path in ENDPOINTS:
                    await http.get(path, headers=tenant.headers)  # warm-up: connections, statement cache
                    times = []
                    for _ in range(20):
                        started = time.perf_counter()
                        response = await http.get(path, headers=tenant.headers)
                        times.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200, response.text
                    print(f"{path:<62} median {statistics.median(times):6.1f} ms   worst {max(times):6.1f} ms")
    finally:
        await drop_postgres_database(name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.posts, arguments.runs))
