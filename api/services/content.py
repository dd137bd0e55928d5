"""The review queue: manual uploads, caption edits, approve/reject and delete, each checked against the
lifecycle table in ``domain.content``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas.content import ContentUpdate
from api.services.uploads import CheckedImage
from contracts.cleanup import content_media_namespace
from core.errors import NotFound, ValidationFailed
from core.ids import new_id
from domain.content import ContentAction, ContentStatus, check_transition
from domain.content_history import push_version
from providers.storage.base import MediaStorage
from store.models import ContentItem
from store.repositories.content import ContentRepository
from store.repositories.profiles import ProfileRepository
from store.types import utcnow


@dataclass(frozen=True)
class ManualContent:
    """A validated manual upload: the image already checked, caption and hashtags already cleaned."""

    image: CheckedImage
    caption: str
    hashtags: list[str]
    profile_id: str


async def _locked(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
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
    item = await _locked(session, account_id, content_id)
    check_transition(ContentAction.EDIT, item.status)
    caption = body.caption if body.caption is not None else item.caption
    hashtags = body.hashtags if body.hashtags is not None else list(item.hashtags or [])
    if caption == item.caption and hashtags == list(item.hashtags or []):
        return item  # Nothing changes: no empty version in the history.
    push_version(item)
    item.caption = caption
    item.hashtags = hashtags
    return await ContentRepository(session).save(item)


async def approve_content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    item = await _locked(session, account_id, content_id)
    check_transition(ContentAction.APPROVE, item.status)
    item.status = ContentStatus.APPROVED.value
    item.approved_at = utcnow()
    item.rejection_reason = None
    return await ContentRepository(session).save(item)


async def reject_content(session: AsyncSession, account_id: str, content_id: str, reason: str) -> ContentItem:
    item = await _locked(session, account_id, content_id)
    check_transition(ContentAction.REJECT, item.status)
    item.status = ContentStatus.REJECTED.value
    item.rejected_at = utcnow()
    item.rejection_reason = reason
    return await ContentRepository(session).save(item)


async def delete_content(session: AsyncSession, storage: MediaStorage, account_id: str, content_id: str) -> None:
    """Delete the row, then its media. The delete is flushed first, so a database refusal surfaces before
    any file is gone; if the commit still fails afterwards, the row is kept and only points at missing media."""
    item = await _locked(session, account_id, content_id)
    check_transition(ContentAction.DELETE, item.status)
    await ContentRepository(session).delete(item)
    await storage.delete_prefix(content_media_namespace(account_id, item.id) + "/")
