"""The content lifecycle: which status each action may start from. One table, read by every transition
the API starts and every status the worker sets."""

from __future__ import annotations

from enum import StrEnum

from core.errors import Conflict


class ContentStatus(StrEnum):
    GENERATING = "generating"
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    PUBLISH_FAILED = "publish_failed"


class ContentAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REGENERATE = "regenerate"
    FINE_TUNE_CAPTION = "fine_tune_caption"
    EDIT = "edit"
    DELETE = "delete"
    PUBLISH = "publish"
    VIDEO = "video"
    SELECT_VIDEO = "select_video"


_S = ContentStatus
ALLOWED_FROM: dict[ContentAction, frozenset[ContentStatus]] = {
    ContentAction.APPROVE: frozenset({_S.PENDING_REVIEW, _S.REJECTED}),
    ContentAction.REJECT: frozenset({_S.PENDING_REVIEW, _S.APPROVED}),
    ContentAction.REGENERATE: frozenset({_S.PENDING_REVIEW, _S.REJECTED, _S.APPROVED}),
    ContentAction.FINE_TUNE_CAPTION: frozenset({_S.PENDING_REVIEW, _S.REJECTED, _S.APPROVED}),
    ContentAction.EDIT: frozenset({_S.PENDING_REVIEW, _S.REJECTED, _S.APPROVED}),
    # Not while scheduled, publishing or published: deleting would forget a post that is (or is about to be)
    # live, with no way left to unpublish it. Unpublish first (an unpublished item is approved again).
    ContentAction.DELETE: frozenset({_S.PENDING_REVIEW, _S.REJECTED, _S.APPROVED, _S.PUBLISH_FAILED}),
    ContentAction.PUBLISH: frozenset({_S.APPROVED, _S.PUBLISHED, _S.PUBLISH_FAILED}),
    # A video (or a comparison of them) is made from an item under review or approved, and a variant picked.
    ContentAction.VIDEO: frozenset({_S.PENDING_REVIEW, _S.APPROVED}),
    ContentAction.SELECT_VIDEO: frozenset({_S.PENDING_REVIEW, _S.APPROVED}),
}


# Deleting an influencer removes its content except items whose post is live on a platform or on its way
# there: those stay (with their publication rows and media) so they can still be unpublished.
KEPT_ON_INFLUENCER_DELETE: frozenset[ContentStatus] = frozenset({_S.SCHEDULED, _S.PUBLISHING, _S.PUBLISHED})


def check_transition(action: ContentAction, current: str) -> None:
    """Raise 409 naming the current status when ``action`` may not start from it."""
    allowed = ALLOWED_FROM[action]
    if current not in allowed:
        names = ", ".join(sorted(s.value for s in allowed))
        raise Conflict(
            f"cannot {action.value.replace('_', ' ')} content in status {current}; allowed from: {names}",
            code="invalid_transition",
            details={"action": action.value, "status": current, "allowedFrom": sorted(s.value for s in allowed)},
        )
