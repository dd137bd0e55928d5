"""Helpers for A/B experiment tests: a comparison whose variants finished rendering."""

from __future__ import annotations

from domain.video import VariantStatus, VideoAsset
from store.db import transaction
from store.repositories.video import VideoComparisonRepository
from tests.utils.factories import Tenant, create_video_comparison
from tests.utils.mp4 import tiny_mp4
from tests.utils.stack import Stack


async def finished_comparison(stack: Stack, tenant: Tenant, content_id: str) -> str:
    """A comparison whose two variants finished rendering, each with its own stored MP4."""
    comparison_id = await create_video_comparison(stack.sessions, tenant.account_id, content_id)
    storage = stack.deps.storage
    async with transaction(stack.sessions) as session:
        comparison = await VideoComparisonRepository(session).get_any(comparison_id)
        assert comparison is not None
        for variant, color in zip(comparison.variants, ("red", "blue"), strict=True):
            data = tiny_mp4(color)
            key = await storage.put(f"tests/experiments/{comparison_id}", data, "video/mp4")
            poster = await storage.put(f"tests/experiments/{comparison_id}", color.encode(), "image/png")
            asset = VideoAsset(
                media_key=key, poster_key=poster, width=64, height=64, duration_seconds=1.0, size_bytes=len(data)
            )
            variant.status = VariantStatus.COMPLETED
            variant.video = asset.model_dump(mode="json")
    return comparison_id
