"""``python -m bench`` (``make bench``): image and video renderer speed, then batches of 10, 100 and 1,000,
then a 500-post social import with and without media, then voice samples and embeddings, then the
analytics endpoints over 100,000 snapshot rows (PostgreSQL on 127.0.0.1:5432)."""

from __future__ import annotations

import asyncio

from bench import bench_analytics, bench_batches, bench_images, bench_import, bench_video, bench_voice

asyncio.run(bench_images.run(50, 1024))
asyncio.run(bench_video.run(6, 2))
asyncio.run(bench_batches.main([10, 100, 1000]))
asyncio.run(bench_import.main(500))
asyncio.run(bench_voice.main())
asyncio.run(bench_analytics.main(2000, 50))
