"""Local drawing in a pool of processes: the same images as drawing in the worker, several at once, and
no renderer outlives a worker killed with SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import PermanentProviderError
from providers.images.base import ImageRequest
from providers.images.local.pool import PooledLocalImageProvider
from providers.images.local.provider import LocalImageProvider

REQUESTS = [
    ImageRequest(prompt="woman at a cafe, morning", seed=3, width=256, height=256, view="front"),
    ImageRequest(prompt="beach at sunset", seed=9, width=256, height=320, grade_id="film_35mm"),
    ImageRequest(prompt="city street at night", seed=11, width=320, height=256, wardrobe=["red jacket"]),
]


async def test_pooled_images_are_the_images_the_worker_would_draw() -> None:
    pooled = PooledLocalImageProvider(processes=2)
    try:
        images = await asyncio.gather(*(pooled.generate(r) for r in REQUESTS))
    finally:
        await pooled.aclose()
    expected = [await LocalImageProvider().generate(r) for r in REQUESTS]
    assert [i.data for i in images] == [e.data for e in expected]
    assert [(i.width, i.height) for i in images] == [(256, 256), (256, 320), (320, 256)]


async def test_an_unknown_grade_is_refused_before_it_reaches_the_pool() -> None:
    pooled = PooledLocalImageProvider(processes=1)
    try:
        with pytest.raises(PermanentProviderError, match="grade"):
            await pooled.generate(ImageRequest(prompt="x", seed=0, grade_id="sepia_dream"))
    finally:
        await pooled.aclose()


_HOLDER = """
import asyncio, os, sys
from providers.images.base import ImageRequest
from providers.images.local.pool import PooledLocalImageProvider

async def main() -> None:
    pooled = PooledLocalImageProvider(processes=2)
    await asyncio.gather(*(pooled.generate(ImageRequest(prompt="p", seed=n, width=128, height=128)) for n in range(4)))
    print(" ".join(str(p) for p in pooled._pool._processes), flush=True)
    await asyncio.sleep(600)

if __name__ == "__main__":
    asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    return "\nState:\tZ" not in status.read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's prctl")
def test_renderers_die_with_a_killed_worker(tmp_path: Path) -> None:
    script = tmp_path / "holder.py"
    script.write_text(_HOLDER)
    holder = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert holder.stdout is not None
    pids = [int(p) for p in holder.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


async def test_warming_starts_every_process() -> None:
    pooled = PooledLocalImageProvider(processes=2)
    try:
        await pooled.warm()
        assert len(pooled._pool._processes) == 2
        image = await pooled.generate(REQUESTS[0])
    finally:
        await pooled.aclose()
    assert image.data == (await LocalImageProvider().generate(REQUESTS[0])).data


async def test_a_long_run_replaces_the_pool_and_draws_every_image() -> None:
    """Forty images through a pool replaced every four: each is drawn, by at least three sets of processes
    (with ``max_tasks_per_child`` this hung on Python 3.11 after the first replacement, CPython gh-115634)."""
    pooled = PooledLocalImageProvider(processes=2, images_per_process=2)
    requests = [ImageRequest(prompt="studio portrait", seed=n, width=64, height=64) for n in range(40)]
    pids: set[int] = set()

    async def draw(request: ImageRequest) -> bytes:
        pids.update(pooled._pool._processes)
        return (await pooled.generate(request)).data

    try:
        images = await asyncio.wait_for(asyncio.gather(*(draw(r) for r in requests)), timeout=120)
        pids.update(pooled._pool._processes)
    finally:
        await pooled.aclose()
    local = LocalImageProvider()
    assert images == [(await local.generate(r)).data for r in requests]
    assert len(pids) >= 6
