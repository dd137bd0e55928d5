"""Contracts of the influencer cleanup workflow."""

from __future__ import annotations

from contracts.base import Contract

INFLUENCER_CLEANUP_WORKFLOW = "InfluencerCleanupWorkflow"


def influencer_cleanup_workflow_id(influencer_id: str) -> str:
    return f"cleanup-influencer-{influencer_id}"


def influencer_media_namespace(account_id: str, influencer_id: str) -> str:
    """Where every stored file of an influencer lives, so one prefix delete removes them all."""
    return f"{account_id}/influencers/{influencer_id}"


def content_media_namespace(account_id: str, content_id: str) -> str:
    """Where a content item's files live (every version of it), so deleting the item removes them all."""
    return f"{account_id}/content/{content_id}"


class InfluencerCleanupInput(Contract):
    account_id: str
    influencer_id: str


class CancelledWork(Contract):
    workflow_ids: list[str]


class InfluencerCleanupResult(Contract):
    influencer_id: str
    media_deleted: int
    cancelled_workflow_ids: list[str]
    purged: bool
