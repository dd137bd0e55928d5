"""Batches on a remote image provider: ``python -m bench.bench_remote [--count 100] [--concurrency 32]``.

A local server speaking Replicate's predictions format (``bench/replicate_server.py``) takes 1 s per image.
One run, three batches through the API on a real Temporal dev server and SQLite, captions on the local text
provider:

1. the same batch with images that take no time: what everything but the image (plan, caption, save,
   Temporal) costs, the "caption steps" of the goal;
2. images of 1 s at the configured concurrency: the goal is at most 1.3 x (count / concurrency) s plus (1);
3. the same, with a provider that takes only half that many at once and answers 429 beyond: the batch
   must still complete every item, slower.

Figures, never assertions."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from bench.replicate_server import ReplicateLike
from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.servers import serve_in_thread
from tests.utils.stack import running_stack, stack_settings


async def run_batch(
    client_target: str, env: WorkflowEnvironment, server: ReplicateLike, count: int, concurrency: int
) -> tuple[float, dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp, serve_in_thread(server.app()) as provider_url:
        url = await create_sqlite_database(Path(tmp))
        settings = stack_settings(
            Path(tmp), url, client_target, image_provider="replicate", replicate_base_url=f"{provider_url}/v1",
            replicate_api_token="r8-bench", replicate_image_concurrency=concurrency,
        )
        async with (
            running_stack(settings, env.client) as stack,
            httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http,
        ):
            tenant = await make_tenant(stack.sessions)
            profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
            started = time.perf_counter()
            response = await http.post(
                "/api/v1/content/generate", json={"profileId": profile["id"], "count": count}, headers=tenant.headers
            )
            batch = await wait_for_batch(http, tenant, response.json()["id"], timeout=600)
            return time.perf_counter() - started, batch


async def main(count: int, concurrency: int, seconds: float) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=[ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID],
        dev_server_log_level="error",
    )
    target = env.client.service_client.config.target_host
    ideal = count / concurrency * seconds
    print(f"\nRemote images: {count} items, Replicate-style server at {seconds:g} s per image, "
          f"REPLICATE_IMAGE_CONCURRENCY={concurrency}")
    print("| run | wall | items done/failed | provider peak concurrency | 429s answered |")
    print("| --- | --- | --- | --- | --- |")
    try:
        runs = {
            "instant images (the other steps)": ReplicateLike(seconds=0.0),
            f"{seconds:g} s images": ReplicateLike(seconds=seconds),
            f"{seconds:g} s images, provider takes {concurrency // 2} at once": ReplicateLike(
                seconds=seconds, capacity=concurrency // 2
            ),
        }
        walls = []
        for label, server in runs.items():
            wall, batch = await run_batch(target, env, server, count, concurrency)
            walls.append(wall)
            counts = batch["counts"]
            assert isinstance(counts, dict)
            print(f"| {label} | {wall:.2f} s | {counts.get('completed')}/{counts.get('failed')} | {server.peak} "
                  f"| {server.throttled} |", flush=True)
        bound = 1.3 * ideal + walls[0]
        print(f"goal: {seconds:g} s images within 1.3 x {ideal:.2f} s + {walls[0]:.2f} s = {bound:.2f} s: "
              f"{walls[1]:.2f} s ({walls[1] / bound:.2f} of the bound; ideal {ideal:.2f} s)")
    finally:
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main(args.count, args.concurrency, args.seconds))
