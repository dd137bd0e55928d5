"""Turning provider errors into Temporal's retry decisions, in one place for every activity."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Protocol

from temporalio.exceptions import ApplicationError

from core.errors import Conflict, ProviderError

GONE = "ResourceGone"
SETTLED = "ItemSettled"
INVALID_TRANSITION = "InvalidTransition"


@contextmanager
def provider_errors() -> Iterator[None]:
    """Transient provider errors retry (after the provider's Retry-After, when it gave one); permanent
    ones fail the activity at once with their type name, which retry policies list as non-retryable."""
    try:
        yield
    except ProviderError as exc:
        raise as_application_error(exc) from exc


@contextmanager
def refused_transition() -> Iterator[None]:
    """A status move the domain's table refuses (``Conflict``) cannot succeed on retry: fail at once."""
    try:
        yield
    except Conflict as exc:
        raise ApplicationError(exc.message, type=INVALID_TRANSITION, non_retryable=True) from exc


def as_application_error(exc: ProviderError) -> ApplicationError:
    delay = timedelta(seconds=exc.retry_after) if exc.retry_after else None
    return ApplicationError(exc.message, type=exc.type_name, non_retryable=not exc.retryable, next_retry_delay=delay)


def platform_refused(reason: str | None) -> ApplicationError:
    """The platform accepted the post, then failed to process it: a retry would post again, so stop."""
    return ApplicationError(
        f"the platform could not publish the post: {reason or 'processing failed'}",
        type="PlatformProcessingFailed",
        non_retryable=True,
    )


def gone(what: str) -> ApplicationError:
    """The thing an activity works on was deleted meanwhile: nothing a retry can fix."""
    return ApplicationError(f"{what} no longer exists", type=GONE, non_retryable=True)


def item_settled_ref(batch_id: str, position: int) -> ApplicationError:
    """The batch settled this item (cancelled it) while a step was on its way: stop, change nothing."""
    return ApplicationError(f"item {position} of {batch_id} was already settled", type=SETTLED, non_retryable=True)


def item_settled(plan: ItemPlanLike) -> ApplicationError:
    return item_settled_ref(str(plan.item.batch_id), plan.item.position)


class _ItemLike(Protocol):
    @property
    def batch_id(self) -> str | None: ...

    @property
    def position(self) -> int: ...


class ItemPlanLike(Protocol):
    @property
    def item(self) -> _ItemLike: ...
