"""Turning provider errors into Temporal's retry decisions, in one place for every activity."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from temporalio.exceptions import ApplicationError

from core.errors import ProviderError

GONE = "ResourceGone"


@contextmanager
def provider_errors() -> Iterator[None]:
    """Transient provider errors retry (after the provider's Retry-After, when it gave one); permanent
    ones fail the activity at once with their type name, which retry policies list as non-retryable."""
    try:
        yield
    except ProviderError as exc:
        delay = timedelta(seconds=exc.retry_after) if exc.retry_after else None
        raise ApplicationError(
            exc.message, type=exc.type_name, non_retryable=not exc.retryable, next_retry_delay=delay
        ) from exc


def gone(what: str) -> ApplicationError:
    """The thing an activity works on was deleted meanwhile: nothing a retry can fix."""
    return ApplicationError(f"{what} no longer exists", type=GONE, non_retryable=True)
