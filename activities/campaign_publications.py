"""Handing one campaign item to publishing: the same rows ``POST /content/{id}/publish`` records (one target
per connected account, a new round, the post's idempotency key), scheduled at the run's slot. The publishing
workflow then waits for the slot on its own durable timer; nothing here posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.publishing import post_idempotency_key, publish_workflow_id
from core.ids import new_id
from domain.campaigns import RunItemOutcome
from domain.content import ALLOWED_FROM, ContentAction, ContentStatus
from domain.publishing import PublicationStatus
from store.models import Publication, SocialAccount
from store.repositories.content import ContentRepository
from store.repositories.publications import PublicationRepository
from store.types import utcnow


class Recorded:
    """The round and targets recorded for one item."""

    def __init__(self, round: int, publication_ids: list[str]) -> None:
        self.round = round
        self.publication_ids = publication_ids


async def record_publications(
    session: AsyncSession,
    content_id: str,
    accounts: Sequence[SocialAccount],
    slot_at: datetime,
) -> tuple[Recorded | None, RunItemOutcome, str | None]:
    """Record the item's publish at ``slot_at`` when it is approved now; otherwise say why it is not going."""
    item = await ContentRepository(session).get_for_update(content_id)
    if item is None:
        return None, RunItemOutcome.FAILED, "the item was deleted before its slot"
    if item.status in (ContentStatus.PENDING_REVIEW, ContentStatus.REJECTED):
        return None, RunItemOutcome.SKIPPED_UNAPPROVED, f"not approved by the slot (status {item.status})"
    if item.status not in ALLOWED_FROM[ContentAction.PUBLISH]:
        # Published or scheduled by hand meanwhile: that publish is the person's, not the campaign's.
        return None, RunItemOutcome.FAILED, f"the item is {item.status}; it was published outside the campaign"
    if not accounts:
        return None, RunItemOutcome.FAILED, "none of the campaign's accounts is connected and active"
    repo = PublicationRepository(session)
    round = await repo.latest_round(item.id) + 1
    scheduled = slot_at > utcnow()
    publications = [
        Publication(
            id=new_id("pub"),
            account_id=item.account_id,
            content_id=item.id,
            social_account_id=account.id,
            platform=account.platform,
            round=round,
            status=PublicationStatus.SCHEDULED if scheduled else PublicationStatus.PUBLISHING,
            scheduled_at=slot_at if scheduled else None,
            idempotency_key=post_idempotency_key(item.id, account.id, round),
            workflow_id=publish_workflow_id(item.id),
        )
        for account in accounts
    ]
    await repo.add_all(publications)
    item.status = ContentStatus.SCHEDULED if scheduled else ContentStatus.PUBLISHING
    await ContentRepository(session).save(item)
    return Recorded(round, [p.id for p in publications]), RunItemOutcome.SCHEDULED, None
