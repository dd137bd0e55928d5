"""Publishing a content item: choosing targets, recording them, and starting, retrying or calling off the
item's publish workflow (``publish-<contentId>``: Temporal refuses a second one while the first runs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.content.service import get_content, locked_content
from api.publishing.schemas import PublicationOut, PublishBody, PublishStatusOut
from api.starter import StartFailure, StartFailureCode, WorkflowLaunch, WorkflowStarter
from contracts.publishing import (
    PLATFORMS_WITHOUT_DELETE,
    PUBLISH_WORKFLOW,
    UNPUBLISH_WORKFLOW,
    PublishInput,
    UnpublishInput,
    post_idempotency_key,
    publish_workflow_id,
    unpublish_workflow_id,
)
from contracts.search import search_attributes
from core.errors import Conflict, ValidationFailed
from core.ids import new_id
from domain.accounts import SocialAccountStatus
from domain.content import ContentAction, ContentStatus, check_transition
from domain.publishing import PublicationStatus
from store.models import ContentItem, Publication, SocialAccount
from store.repositories.content import ContentRepository
from store.repositories.profiles import SocialAccountRepository
from store.repositories.publications import PublicationRepository
from store.types import utcnow


async def _targets(session: AsyncSession, item: ContentItem, body: PublishBody) -> list[SocialAccount]:
    repo = SocialAccountRepository(session)
    if body.account_ids:
        accounts = []
        for index, account_id in enumerate(dict.fromkeys(body.account_ids)):
            account = await repo.get(item.account_id, account_id)
            if account is None:
                raise ValidationFailed(
                    f"accountIds.{index}: {account_id} is not one of your connected accounts",
                    details=[{"field": f"accountIds.{index}", "message": "not found"}],
                )
            accounts.append(account)
    else:
        accounts = list(await repo.for_profiles(item.account_id, [item.profile_id] if item.profile_id else []))
        if not accounts:
            raise ValidationFailed(
                "the item's profile has no connected accounts; connect one or pass accountIds",
                details=[{"field": "accountIds", "message": "no connected accounts for the item's profile"}],
            )
    inactive = [a for a in accounts if a.status != SocialAccountStatus.ACTIVE]
    if inactive:
        raise ValidationFailed(
            f"account {inactive[0].id} is {inactive[0].status}; reconnect it",
            details=[{"field": "accountIds", "message": f"{a.id} is {a.status}"} for a in inactive],
        )
    return accounts


async def publish(starter: WorkflowStarter, account_id: str, content_id: str, body: PublishBody) -> PublishStatusOut:
    session = starter.session
    workflow_id = publish_workflow_id(content_id)
    if await starter.is_running(workflow_id):
        raise Conflict(f"content {content_id} is already being published", code="already_running")
    # Locked until the start commits: concurrent publishes of one item serialise here, and the later ones
    # find it scheduled/publishing instead of all reading the same round and colliding on insert.
    item = await locked_content(session, account_id, content_id)
    if item.status in (ContentStatus.SCHEDULED, ContentStatus.PUBLISHING):
        raise Conflict(f"content {item.id} is already being published (status {item.status})", code="already_running")
    check_transition(ContentAction.PUBLISH, item.status)
    accounts = await _targets(session, item, body)
    scheduled_at = body.scheduled_at if body.scheduled_at and body.scheduled_at > utcnow() else None
    repo = PublicationRepository(session)
    round = await repo.latest_round(item.id) + 1
    captions = body.captions or {}
    publications = [
        Publication(
            id=new_id("pub"),
            account_id=account_id,
            content_id=item.id,
            social_account_id=account.id,
            platform=account.platform,
            round=round,
            status=PublicationStatus.SCHEDULED if scheduled_at else PublicationStatus.PUBLISHING,
            scheduled_at=scheduled_at,
            caption=captions.get(account.platform, ""),  # type: ignore[call-overload]
            idempotency_key=post_idempotency_key(item.id, account.id, round),
            workflow_id=workflow_id,
        )
        for account in accounts
    ]
    await repo.add_all(publications)
    previous_status = item.status
    item.status = ContentStatus.SCHEDULED if scheduled_at else ContentStatus.PUBLISHING
    await ContentRepository(session).save(item)
    await _start_publish(starter, item, round, publications, scheduled_at, previous_status)
    return await status(session, account_id, item.id)


async def retry(starter: WorkflowStarter, account_id: str, content_id: str) -> PublishStatusOut:
    session = starter.session
    if await starter.is_running(publish_workflow_id(content_id)):
        raise Conflict(f"content {content_id} is still being published", code="already_running")
    # Locked like publish: of concurrent retries one moves the failed targets to publishing, the others
    # then find none failed.
    item = await locked_content(session, account_id, content_id)
    repo = PublicationRepository(session)
    round = await repo.latest_round(item.id)
    failed = [p for p in await repo.for_round(item.id, round) if p.status == PublicationStatus.FAILED]
    if not failed:
        raise Conflict(f"content {item.id} has no failed publish targets to retry", code="nothing_to_retry")
    for publication in failed:
        publication.status = PublicationStatus.PUBLISHING
        publication.error_code = publication.error_message = None
    previous_status = item.status
    item.status = ContentStatus.PUBLISHING
    await ContentRepository(session).save(item)
    await _start_publish(starter, item, round, failed, None, previous_status)
    return await status(session, account_id, item.id)


async def _start_publish(
    starter: WorkflowStarter,
    item: ContentItem,
    round: int,
    publications: Sequence[Publication],
    scheduled_at: datetime | None,
    previous_status: str,
) -> None:
    async def failed(failure: StartFailure) -> None:
        for publication in publications:
            publication.status, publication.error_code, publication.error_message = (
                PublicationStatus.FAILED,
                StartFailureCode.NOT_STARTED,
                failure.message,
            )
        item.status = previous_status

    await starter.start(
        WorkflowLaunch(
            workflow=PUBLISH_WORKFLOW,
            input=PublishInput(
                account_id=item.account_id,
                content_id=item.id,
                round=round,
                publication_ids=[p.id for p in publications],
                scheduled_at=scheduled_at,
            heartbeat_seconds=starter.settings.publish_heartbeat_seconds,
            ),
            workflow_id=publish_workflow_id(item.id),
            search_attributes=search_attributes(item.account_id, content_id=item.id, profile_id=item.profile_id),
            summary=publish_summary(item.id, [p.platform for p in publications], scheduled_at),
            resource_path=f"/content/{item.id}/publish/status",
            on_failure=failed,
            busy_message=f"content {item.id} is already being published",
        )
    )


def publish_summary(content_id: str, platforms: list[str], scheduled_at: datetime | None) -> str:
    where = ", ".join(sorted(set(platforms)))
    when = f" at {scheduled_at.isoformat()}" if scheduled_at is not None else ""
    return f"Publish {content_id} to {where}{when}"


async def unpublish(starter: WorkflowStarter, account_id: str, content_id: str) -> PublishStatusOut:
    """Call off a scheduled publish before it fires, or delete published posts where platforms allow it."""
    session = starter.session
    item = await get_content(session, account_id, content_id)
    repo = PublicationRepository(session)
    round = await repo.latest_round(item.id)
    targets = await repo.for_round(item.id, round)
    scheduled = any(p.status == PublicationStatus.SCHEDULED for p in targets)
    if scheduled and await starter.is_running(publish_workflow_id(item.id)):
        await starter.cancel(publish_workflow_id(item.id), wait=True)
        return await status(session, account_id, item.id)
    published = [p for p in targets if p.status == PublicationStatus.PUBLISHED]
    if not published:
        raise Conflict(
            f"content {item.id} has nothing scheduled or published to pull (status {item.status})",
            code="invalid_transition",
        )
    undeletable = sorted({p.platform for p in published if p.platform in PLATFORMS_WITHOUT_DELETE})
    if len(undeletable) == len({p.platform for p in published}):
        raise Conflict(
            f"{', '.join(undeletable)} offers no API to delete a post; remove it in the app itself",
            code="unsupported_by_platform",
            details={"platforms": undeletable},
        )
    if await starter.is_running(unpublish_workflow_id(item.id)):
        raise Conflict(f"content {item.id} is already being unpublished", code="already_running")

    handle = await starter.start(
        WorkflowLaunch(
            workflow=UNPUBLISH_WORKFLOW,
            input=UnpublishInput(
                account_id=account_id, content_id=item.id, round=round, publication_ids=[p.id for p in published]
            ),
            workflow_id=unpublish_workflow_id(item.id),
            search_attributes=search_attributes(account_id, content_id=item.id, profile_id=item.profile_id),
            summary=f"Unpublish {item.id} from {', '.join(sorted({p.platform for p in published}))}",
            resource_path=f"/content/{item.id}/publish/status",
        )
    )
    await starter.wait_briefly(handle)
    return await status(session, account_id, item.id)


async def status(session: AsyncSession, account_id: str, content_id: str) -> PublishStatusOut:
    item = await get_content(session, account_id, content_id)
    await session.refresh(item)
    repo = PublicationRepository(session)
    round = await repo.latest_round(item.id)
    targets = list(await repo.for_round(item.id, round))
    for target in targets:
        await session.refresh(target)
    return PublishStatusOut(
        content_id=item.id,
        content_status=item.status,
        round=round,
        workflow_id=publish_workflow_id(item.id) if targets else None,
        targets=[
            PublicationOut(
                id=t.id,
                account_id=t.social_account_id,
                platform=t.platform,
                round=t.round,
                status=t.status,
                scheduled_at=t.scheduled_at,
                platform_post_id=t.platform_post_id,
                url=t.url,
                attempts=t.attempts,
                error_code=t.error_code,
                error_message=t.error_message,
                published_at=t.published_at,
            )
            for t in targets
        ],
    )
