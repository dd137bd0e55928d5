"""Publishing: the status of each publication target, the platform's own view of a post and its media,
and how a content item's status follows its targets."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from domain import transitions
from domain.content import ContentStatus


class PublicationStatus(StrEnum):
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNPUBLISHED = "unpublished"


class PostStatus(StrEnum):
    """Where a platform is with a post we created."""

    PROCESSING = "processing"
    PUBLISHED = "published"
    FAILED = "failed"


class MediaStatus(StrEnum):
    """Where a platform is with media we uploaded."""

    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


_P = PublicationStatus
PUBLICATION_TRANSITIONS: dict[PublicationStatus, frozenset[PublicationStatus]] = {
    _P.SCHEDULED: frozenset({_P.PUBLISHING, _P.FAILED, _P.CANCELLED}),
    _P.PUBLISHING: frozenset({_P.PUBLISHED, _P.FAILED}),
    _P.PUBLISHED: frozenset({_P.UNPUBLISHED}),
    # ``POST /content/:id/publish/retry`` sends failed targets again.
    _P.FAILED: frozenset({_P.PUBLISHING}),
    _P.CANCELLED: frozenset(),
    _P.UNPUBLISHED: frozenset(),
}

FINISHED_PUBLICATION_STATUSES = frozenset({_P.PUBLISHED, _P.FAILED, _P.CANCELLED, _P.UNPUBLISHED})


def can_publication_transition(current: str, new: PublicationStatus) -> bool:
    return transitions.can_transition(PUBLICATION_TRANSITIONS, current, new)


def check_publication_transition(current: str, new: PublicationStatus) -> None:
    transitions.check_transition(PUBLICATION_TRANSITIONS, "publication target", current, new)


def content_status_after(targets: Sequence[str]) -> ContentStatus:
    """A content item's status follows its targets in the latest round."""
    published = _P.PUBLISHED in targets
    if published and all(s in (_P.PUBLISHED, _P.UNPUBLISHED) for s in targets):
        return ContentStatus.PUBLISHED
    if _P.FAILED in targets:
        return ContentStatus.PUBLISH_FAILED
    if published:
        return ContentStatus.PUBLISHED
    return ContentStatus.APPROVED
