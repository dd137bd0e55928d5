"""Throughput of the embedded image provider: ``python -m bench.bench_images [--count N]``.

Renders N images through ``LocalImageProvider.generate`` one after another (so one core does the drawing)
with prompts, views, wardrobes and grades varied the way a batch would vary them, and prints images per
second and milliseconds per image. A figure to watch, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from domain.aesthetic_grades import AESTHETIC_GRADES
from domain.vocabulary import VIEWS
from providers.images.base import ImageRequest
from providers.images.local.provider import LocalImageProvider

PROMPTS = (
    "woman at the beach at sunset", "walking down a city street at night", "cozy cafe morning with a latte",
    "forest hike in the afternoon", "gym workout", "studio portrait, long blonde hair",
    "mountain snow winter", "park picnic with flowers", "home bedroom cozy evening", "desert dunes at noon",
    "quantum marmalade zeppelin", "rainy city evening",
)  # fmt: skip
WARDROBES: tuple[list[str], ...] = (
    [],
    ["red leather jacket", "black jeans"],
    ["floral dress", "straw hat"],
    ["striped shirt", "loafers"],
)


def requests(count: int, size: int) -> list[ImageRequest]:
    return [
        ImageRequest(
            prompt=PROMPTS[index % len(PROMPTS)],
            seed=index,
            width=size,
            height=size,
            view=VIEWS[index % len(VIEWS)],
            wardrobe=WARDROBES[index % len(WARDROBES)],
            grade_id=AESTHETIC_GRADES[index % len(AESTHETIC_GRADES)].id,
        )
        for index in range(count)
    ]


async def run(count: int, size: int) -> None:
    provider = LocalImageProvider()
    batch = requests(count, size)
    await provider.generate(batch[0])  # warm caches (gradients, masks) as a running worker would have
    timings: list[float] = []
    total_bytes = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for request in batch:
        began = time.perf_counter()
        image = await provider.generate(request)
        timings.append(time.perf_counter() - began)
        total_bytes += len(image.data)
    elapsed = time.perf_counter() - started
    # CPU time of this process (all threads): the cost on one core, whatever else loads the machine.
    cpu = time.process_time() - cpu_started
    median, slowest = statistics.median(timings) * 1000, max(timings) * 1000
    print(f"rendered {count} images of {size}x{size} in {elapsed:.2f}s wall clock, {cpu:.2f}s CPU")
    print(f"wall clock: {count / elapsed:.1f} images/s, {elapsed / count * 1000:.1f} ms/image "
          f"(median {median:.1f} ms, slowest {slowest:.1f} ms)")  # fmt: skip
    print(f"CPU time:   {count / cpu:.1f} images/s, {cpu / count * 1000:.1f} ms/image on one core")
    print(f"average PNG size {total_bytes / count / 1024:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=50, help="images to render (default 50)")
    parser.add_argument("--size", type=int, default=1024, help="width and height in pixels (default 1024)")
    args = parser.parse_args()
    asyncio.run(run(max(1, args.count), args.size))


if __name__ == "__main__":
    main()
