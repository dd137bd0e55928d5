"""``python -m bench`` (``make bench``): the API hot path, remote-provider batches and starting work, each
beside its anchor measured in the same run; then image and video renderer speed, local batches of 10, 100
and 1,000 beside the renderer alone, a 500-post social import with and without media, voice samples and
embeddings, and the analytics endpoints over 100,000 snapshot rows (PostgreSQL on 127.0.0.1:5432)."""

from __future__ import annotations

import asyncio

from bench import (
    bench_analytics,
    bench_api,
    bench_batches,
    bench_images,
    bench_import,
    bench_remote,
    bench_starts,
    bench_video,
    bench_voice,
)

asyncio.run(bench_api.main(seconds=5.0, connections=8))
asyncio.run(bench_remote.main(count=100, concurrency=32, seconds=1.0))
asyncio.run(bench_starts.main(seconds=5.0, connections=8))
asyncio.run(bench_images.run(50, 1024))
asyncio.run(bench_video.run(6, 2))
asyncio.run(bench_batches.main([10, 100, 1000]))
asyncio.run(bench_import.main(500))
asyncio.run(bench_voice.main())
asyncio.run(bench_analytics.main(2000, 50))
