"""The review queue: manual uploads, caption edits, approve/reject and delete, each checked against the
content lifecycle table; and the specs of the work that starts from an item (generation, regeneration,
caption tuning)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from api.content.schemas import ContentUpdate, FineTuneBody, GenerateBody, VideoBody
from api.starter import JobSpec
from api.uploads import CheckedImage
from contracts.cleanup import content_media_namespace
from contracts.jobs import FINE_TUNE_CAPTION_WORKFLOW, REGENERATE_WORKFLOW, FineTuneCaptionInput, RegenerateInput
from contracts.video import RENDER_VIDEO_WORKFLOW, RenderVideoInput, video_workflow_id
from core.errors import Conflict, NotFound, ValidationFailed
from core.ids import new_id
from domain.content import ContentAction, ContentStatus, check_transition
from domain.content_history import push_version
from domain.jobs import JobKind
from providers.storage.base import MediaStorage
from store.models import ContentItem
from store.pagination import Page
from store.repositories.content import ContentRepository
from store.repositories.profiles import ProfileRepository
from store.repositories.publications import PublicationRepository
from store.types import utcnow


@dataclass(frozen=True)
class ManualContent:
    """A validated manual upload: the image already checked, caption and hashtags already cleaned."""

    image: CheckedImage
    caption: str
    hashtags: list[str]
    profile_id: str


async def get_content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    return await ContentRepository(session).get_owned(account_id, content_id)


async def list_content(
    session: AsyncSession,
    account_id: str,
    *,
    limit: int,
    cursor: str | None,
    status: str | None,
    influencer_id: str | None,
    profile_id: str | None,
    batch_id: str | None,
) -> Page[ContentItem]:
    return await ContentRepository(session).list(
        account_id,
        limit=limit,
        cursor=cursor,
        status=status,
        influencer_id=influencer_id,
        profile_id=profile_id,
        batch_id=batch_id,
    )


async def locked_content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    """The item, locked for the rest of the request so concurrent transitions serialise: the status checked
    here is still the status when we write."""
    item = await ContentRepository(session).get_for_update(content_id)
    if item is None or item.account_id != account_id:
        raise NotFound(f"content {content_id} not found")
    return item


async def create_manual_content(
    session: AsyncSession, storage: MediaStorage, account_id: str, upload: ManualContent
) -> ContentItem:
    profile = await ProfileRepository(session).get(account_id, upload.profile_id)
    if profile is None:
        raise ValidationFailed(
            f"profileId {upload.profile_id} does not name one of your profiles",
            details=[{"field": "profileId", "message": "not found"}],
        )
    content_id = new_id("cnt")
    image = upload.image
    key = await storage.put(content_media_namespace(account_id, content_id), image.data, image.content_type)
    item = ContentItem(
        id=content_id,
        account_id=account_id,
        profile_id=profile.id,
        influencer_id=profile.influencer_id,
        source="manual",
        status=ContentStatus.PENDING_REVIEW.value,
        caption=upload.caption,
        hashtags=upload.hashtags,
        media_key=key,
        media_type=image.content_type,
        width=image.width,
        height=image.height,
    )
    return await ContentRepository(session).add(item)


async def update_content(session: AsyncSession, account_id: str, content_id: str, body: ContentUpdate) -> ContentItem:
    """Edit caption and/or hashtags. The previous version goes to ``history`` first, so nothing is lost;
    ``revision`` counts regenerations and stays as it is."""
    item = await locked_content(session, account_id, content_id)
    check_transition(ContentAction.EDIT, item.status)
    caption = body.caption if body.caption is not None else item.caption
    hashtags = body.hashtags if body.hashtags is not None else list(item.hashtags or [])
    if caption == item.caption and hashtags == list(item.hashtags or []):
        return item  # Nothing changes: no empty version in the history.
    push_version(item, utcnow())
    item.caption = caption
    item.hashtags = hashtags
    return await ContentRepository(session).save(item)


async def approve_content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    item = await locked_content(session, account_id, content_id)
    check_transition(ContentAction.APPROVE, item.status)
    item.status = ContentStatus.APPROVED.value
    item.approved_at = utcnow()
    item.rejection_reason = None
    return await ContentRepository(session).save(item)


async def reject_content(
    session: AsyncSession, account_id: str, content_id: str, reason: str | None
) -> ContentItem:
    item = await locked_content(session, account_id, content_id)
    check_transition(ContentAction.REJECT, item.status)
    item.status = ContentStatus.REJECTED.value
    item.rejected_at = utcnow()
    item.rejection_reason = reason
    return await ContentRepository(session).save(item)


async def delete_content(session: AsyncSession, storage: MediaStorage, account_id: str, content_id: str) -> None:
    """Delete the row, then its media. The delete is flushed first, so a database refusal surfaces before
    any file is gone; if the commit still fails afterwards, the row is kept and only points at missing media."""
    item = await locked_content(session, account_id, content_id)
    check_transition(ContentAction.DELETE, item.status)
    # publish_failed may still have live posts on the targets that did succeed: those must be pulled first.
    live = await PublicationRepository(session).live_in_latest_round(item.id)
    if live:
        platforms = sorted({p.platform for p in live})
        raise Conflict(
            f"cannot delete content {item.id} in status {item.status}: it is still live on {', '.join(platforms)}; "
            "unpublish it first",
            code="invalid_transition",
            details={
                "action": ContentAction.DELETE.value, "status": item.status, "livePublications": [p.id for p in live]
            },
        )
    await ContentRepository(session).delete(item)
    await storage.delete_prefix(content_media_namespace(account_id, item.id) + "/")


@dataclass(frozen=True)
class GenerationTarget:
    profile_id: str
    influencer_id: str
    influencer_name: str


async def resolve_generation_target(session: AsyncSession, account_id: str, body: GenerateBody) -> GenerationTarget:
    """The profile and influencer of a content batch, or 422 naming the field that is wrong."""
    # One query for both: the influencer's name only (for the Temporal UI's summary), no JSON, no references.
    found = await ProfileRepository(session).with_influencer_name(account_id, body.profile_id, body.influencer_id)
    if found is None:
        raise ValidationFailed(
            f"profileId {body.profile_id} does not name one of your profiles",
            details=[{"field": "profileId", "message": "not found"}],
        )
    profile, influencer_name = found
    influencer_id = body.influencer_id or profile.influencer_id
    if not influencer_id:
        raise ValidationFailed(
            "this profile has no influencer; pass influencerId",
            details=[{"field": "influencerId", "message": "required for a profile without an influencer"}],
        )
    if influencer_name is None:
        raise ValidationFailed(
            f"influencerId {influencer_id} does not name one of your influencers",
            details=[{"field": "influencerId", "message": "not found"}],
        )
    if body.content_direction_id and not any(
        d.get("id") == body.content_direction_id for d in profile.content_directions or []
    ):
        raise ValidationFailed(
            f"contentDirectionId {body.content_direction_id} is not one of this profile's directions",
            details=[{"field": "contentDirectionId", "message": "not found on the profile"}],
        )
    return GenerationTarget(profile.id, influencer_id, influencer_name)


def regenerate_job(item: ContentItem, heartbeat_timeout_seconds: int) -> JobSpec:
    check_transition(ContentAction.REGENERATE, item.status)
    if item.collaboration_id:
        # Regeneration re-plans a one-person scene; it would drop every member but the first.
        raise Conflict(
            f"content {item.id} belongs to collaboration {item.collaboration_id}; regenerating collaboration "
            "items is not supported: create another collaboration item instead",
            code="invalid_transition",
        )
    return JobSpec(
        kind=JobKind.REGENERATE,
        workflow=REGENERATE_WORKFLOW,
        account_id=item.account_id,
        subject_id=item.id,
        summary=f"Regenerate {item.id}",
        make_input=lambda job_id: RegenerateInput(
            job_id=job_id,
            account_id=item.account_id,
            content_id=item.id,
            heartbeat_timeout_seconds=heartbeat_timeout_seconds,
        ),
        workflow_id=f"regenerate-{item.id}",
        busy_message=f"content {item.id} is already being regenerated",
    )


def fine_tune_caption_job(item: ContentItem, body: FineTuneBody) -> JobSpec:
    check_transition(ContentAction.FINE_TUNE_CAPTION, item.status)
    return JobSpec(
        kind=JobKind.FINE_TUNE_CAPTION,
        workflow=FINE_TUNE_CAPTION_WORKFLOW,
        account_id=item.account_id,
        subject_id=item.id,
        summary=f"Fine-tune the caption of {item.id}",
        params={"instruction": body.instruction},
        make_input=lambda job_id: FineTuneCaptionInput(
            job_id=job_id, account_id=item.account_id, content_id=item.id, instruction=body.instruction
        ),
        workflow_id=f"fine-tune-caption-{item.id}",
        busy_message=f"content {item.id} caption is already being tuned",
    )


def video_job(item: ContentItem, body: VideoBody, heartbeat_timeout_seconds: int) -> JobSpec:
    """A video of the item; its workflow id is derived from the item, so a second one while it runs is a 409."""
    check_transition(ContentAction.VIDEO, item.status)
    params = body.params()
    return JobSpec(
        kind=JobKind.VIDEO,
        workflow=RENDER_VIDEO_WORKFLOW,
        account_id=item.account_id,
        subject_id=item.id,
        summary=f"{params.duration_seconds} s {params.aspect_ratio} video of {item.id}",
        params=params.model_dump(mode="json"),
        make_input=lambda job_id: RenderVideoInput(
            job_id=job_id,
            account_id=item.account_id,
            content_id=item.id,
            params=params,
            heartbeat_timeout_seconds=heartbeat_timeout_seconds,
        ),
        workflow_id=video_workflow_id(item.id),
        busy_message=f"a video of content {item.id} is already being rendered",
        wait=False,
    )
