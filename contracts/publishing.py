"""Contracts of publishing: one workflow per content item (``publish-<contentId>``), one target per
connected account, plus unpublishing."""

from __future__ import annotations

from datetime import datetime

from contracts.base import Contract
from domain.content import ContentStatus

PUBLISH_WORKFLOW = "PublishContentWorkflow"
UNPUBLISH_WORKFLOW = "UnpublishContentWorkflow"

# TikTok's Content Posting API has no delete; Instagram allows it only to Facebook-Login apps, not ours.
PLATFORMS_WITHOUT_DELETE = frozenset({"tiktok", "instagram"})

def publish_workflow_id(content_id: str) -> str:
    return f"publish-{content_id}"


def unpublish_workflow_id(content_id: str) -> str:
    return f"unpublish-{content_id}"


def post_idempotency_key(content_id: str, social_account_id: str, round: int) -> str:
    """One key per content item, account and publish round: what a platform sees twice is the same post."""
    return f"ap-{content_id}-{social_account_id}-r{round}"


class PublishInput(Contract):
    account_id: str
    content_id: str
    round: int
    publication_ids: list[str]
    scheduled_at: datetime | None = None
    heartbeat_seconds: int = 60


class TargetRef(Contract):
    account_id: str
    content_id: str
    publication_id: str


class TargetFailure(Contract):
    publication_id: str
    code: str
    message: str


class SettleInput(Contract):
    account_id: str
    content_id: str
    round: int


class PublishResult(Contract):
    content_id: str
    status: ContentStatus
    published: int
    failed: int
    cancelled: int


class UnpublishInput(Contract):
    account_id: str
    content_id: str
    round: int
    publication_ids: list[str]


class UnpublishOutcome(Contract):
    publication_id: str
    deleted: bool
    error: str | None = None
