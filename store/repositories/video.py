"""Video comparisons and their variants. A comparison is always read with its variants (eager), since every
answer about it shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from domain.video import (
    ComparisonStatus,
    VariantStatus,
    check_comparison_transition,
    check_variant_transition,
)
from store.models import VideoComparison, VideoVariant
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class VideoComparisonRepository(OwnedRepository[VideoComparison]):
    model = VideoComparison
    noun = "video comparison"

    def owned(self, account_id: str) -> Select[Any]:
        return super().owned(account_id).options(selectinload(VideoComparison.variants))

    async def get_any(self, comparison_id: str) -> VideoComparison | None:
        query = (
            select(VideoComparison)
            .where(VideoComparison.id == comparison_id)
            .options(selectinload(VideoComparison.variants))
            .execution_options(populate_existing=True)
        )
        row: VideoComparison | None = await self.session.scalar(query)
        return row

    async def queued_before(self, when: datetime, limit: int) -> Sequence[VideoComparison]:
        """Comparisons still queued that were created before ``when`` (for the stranded-work reconciler)."""
        query = (
            select(VideoComparison)
            .where(VideoComparison.status == ComparisonStatus.QUEUED, VideoComparison.created_at < when)
            .order_by(VideoComparison.created_at)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def list_for_content(
        self, account_id: str, content_id: str, *, limit: int, cursor: str | None
    ) -> Page[VideoComparison]:
        query = self.owned(account_id).where(VideoComparison.content_id == content_id)
        return await paginate(
            self.session,
            query,
            created_col=VideoComparison.created_at,
            id_col=VideoComparison.id,
            limit=limit,
            cursor=cursor,
        )

    async def set_status(self, comparison: VideoComparison, status: ComparisonStatus, error: str | None = None) -> None:
        """Move along the comparison table; a repeated move (a retried activity) changes nothing."""
        if comparison.status == status:
            return
        check_comparison_transition(comparison.status, status)
        comparison.status = status.value
        comparison.updated_at = utcnow()
        if error is not None:
            comparison.error = error
        if status in (ComparisonStatus.COMPLETED, ComparisonStatus.PARTIALLY_FAILED, ComparisonStatus.FAILED):
            comparison.finished_at = utcnow()
        await self.session.flush()

    async def variant(self, variant_id: str) -> VideoVariant | None:
        return await self.session.get(VideoVariant, variant_id)

    async def set_variant(
        self,
        variant: VideoVariant,
        status: VariantStatus,
        *,
        video: dict[str, Any] | None = None,
        error_code: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Settle or advance a variant; False (and no change) when it already reached a final status."""
        if variant.status == status:
            return True
        if variant.status in (VariantStatus.COMPLETED, VariantStatus.FAILED):
            return False
        check_variant_transition(variant.status, status)
        variant.status = status.value
        variant.updated_at = utcnow()
        if video is not None:
            variant.video = video
        variant.error_code = error_code
        variant.error = error
        await self.session.flush()
        return True

    async def count_variants(self, comparison_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            select(VideoVariant.status, func.count())
            .where(VideoVariant.comparison_id == comparison_id)
            .group_by(VideoVariant.status)
        )
        return {str(status): int(count) for status, count in rows.all()}
