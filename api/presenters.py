"""ORM rows to response schemas, where a field needs more than attribute copying (media URLs, joins)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter

from api.accounts.schemas import SocialAccountOut
from api.batches.schemas import BatchCounts, BatchItemOut, BatchOut
from api.content.schemas import ContentOut, ContentVersion
from api.influencers.schemas import InfluencerOut, ReferenceImageOut
from api.jobs.schemas import JobOut
from api.previews.schemas import PreviewOut
from api.profiles.schemas import ContentDirectionOut, ProfileOut
from contracts.jobs import JobResult
from core.casing import camelize
from domain.batches import BatchItemStatus
from domain.content_history import plan_of, versions_of
from domain.jobs import JobKind
from providers.storage.base import MediaStorage
from store.models import Batch, BatchItem, ContentItem, Influencer, Job, Preview, Profile, SocialAccount


def influencer_out(influencer: Influencer, storage: MediaStorage) -> InfluencerOut:
    return InfluencerOut(
        id=influencer.id,
        name=influencer.name,
        bio=influencer.bio,
        personality=influencer.personality,
        base_prompt=influencer.base_prompt,
        appearance=influencer.appearance or {},
        aesthetic_grade=influencer.aesthetic_grade,
        reference_images=[
            ReferenceImageOut(
                id=ref.id,
                view=ref.view,
                url=storage.url(ref.media_key),
                content_type=ref.content_type,
                source=ref.source,
                source_url=ref.source_url,
                created_at=ref.created_at,
            )
            for ref in influencer.references
        ],
        ingredients=influencer.ingredients or {},
        created_at=influencer.created_at,
        updated_at=influencer.updated_at,
    )


def profile_out(profile: Profile, accounts: Sequence[SocialAccount]) -> ProfileOut:
    return ProfileOut(
        id=profile.id,
        name=profile.name,
        type=profile.type,
        influencer_id=profile.influencer_id,
        timezone=profile.timezone,
        content_directions=[ContentDirectionOut.model_validate(d) for d in profile.content_directions or []],
        connected_accounts=[SocialAccountOut.model_validate(a) for a in accounts if a.profile_id == profile.id],
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


def content_out(item: ContentItem, storage: MediaStorage) -> ContentOut:
    return ContentOut(
        id=item.id,
        status=item.status,
        source=item.source,
        profile_id=item.profile_id,
        influencer_id=item.influencer_id,
        batch_id=item.batch_id,
        caption=item.caption,
        hashtags=list(item.hashtags or []),
        media_url=storage.url(item.media_key) if item.media_key else None,
        media_type=item.media_type,
        width=item.width,
        height=item.height,
        prompt=item.prompt,
        plan=plan_of(item).model_dump(mode="json", by_alias=True),
        revision=item.revision,
        history=[
            ContentVersion(
                caption=version.caption,
                hashtags=version.hashtags,
                media_url=storage.url(version.media_key) if version.media_key else None,
                prompt=version.prompt,
                seed=version.seed,
                replaced_at=version.replaced_at,
            )
            for version in versions_of(item)
        ],
        rejection_reason=item.rejection_reason,
        created_at=item.created_at,
        updated_at=item.updated_at,
        approved_at=item.approved_at,
        rejected_at=item.rejected_at,
    )


def batch_out(
    batch: Batch,
    storage: MediaStorage,
    *,
    items: Sequence[BatchItem] | None = None,
    counts: Mapping[str, int] | None = None,
) -> BatchOut:
    """Counts from ``counts`` (one grouped query for a list) or from ``items`` (one batch, items shown)."""
    tally: Mapping[str, int] = Counter(item.status for item in items or []) if counts is None else counts
    return BatchOut(
        id=batch.id,
        kind=batch.kind,
        status=batch.status,
        counts=BatchCounts(
            total=batch.total,
            completed=tally.get(BatchItemStatus.COMPLETED, 0),
            failed=tally.get(BatchItemStatus.FAILED, 0),
            cancelled=tally.get(BatchItemStatus.CANCELLED, 0),
            pending=tally.get(BatchItemStatus.PENDING, 0),
            running=tally.get(BatchItemStatus.RUNNING, 0),
        ),
        influencer_id=batch.influencer_id,
        profile_id=batch.profile_id,
        params=camelize(batch.params or {}),
        workflow_id=batch.workflow_id,
        run_id=batch.run_id,
        error=batch.error,
        items=None
        if items is None
        else [
            BatchItemOut(
                position=item.position,
                status=item.status,
                result_id=item.result_id,
                media_url=storage.url(item.media_key) if item.media_key else None,
                error_code=item.error_code,
                error=item.error,
            )
            for item in items
        ],
        created_at=batch.created_at,
        started_at=batch.started_at,
        finished_at=batch.finished_at,
    )


_JOB_RESULT: TypeAdapter[JobResult] = TypeAdapter(JobResult)


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        subject_id=job.subject_id,
        result=job_result_out(job),
        error=job.error,
        workflow_id=job.workflow_id,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def job_result_out(job: Job) -> dict[str, Any] | None:
    """The stored result as the wire shows it. The worker stores the typed result snake_case (rows from
    before typed results hold camelCase, which validates too); here it is checked against its model and
    turned into camelCase, like every other field of the API."""
    if job.result is None:
        return None
    if job.kind not in set(JobKind):
        return camelize(job.result)
    result = _JOB_RESULT.validate_python({**job.result, "kind": job.kind})
    return camelize(result.model_dump(mode="json", exclude={"kind"}))


def preview_out(preview: Preview, storage: MediaStorage) -> PreviewOut:
    return PreviewOut(
        id=preview.id,
        influencer_id=preview.influencer_id,
        batch_id=preview.batch_id,
        prompt=preview.prompt,
        seed=preview.seed,
        aesthetic_grade=preview.aesthetic_grade,
        media_url=storage.url(preview.media_key),
        adopted=preview.adopted_at is not None,
        created_at=preview.created_at,
    )
