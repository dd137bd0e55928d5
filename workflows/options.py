"""Activity timeouts and retry policies shared by the workflows (deterministic constants only)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.errors import GONE, INVALID_TRANSITION, SETTLED
    from core.errors import NON_RETRYABLE_PROVIDER_ERRORS, TransientProviderError

# Bookkeeping against our own database: retry until it works; an outage must not lose a result.
BOOKKEEPING_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
BOOKKEEPING_TIMEOUT = timedelta(seconds=30)

# Provider calls: back off, honour Retry-After (the activity sets next_retry_delay), and give up after a
# while so one bad item fails alone instead of holding the batch forever.
NON_RETRYABLE = [*NON_RETRYABLE_PROVIDER_ERRORS, GONE, SETTLED]

PROVIDER_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=8,
    non_retryable_error_types=NON_RETRYABLE,
)
PROVIDER_TIMEOUT = timedelta(minutes=10)


# Failures whose messages we wrote for clients (a provider's refusal, a settled item). Any other root cause is
# an unexpected exception whose text may name internal hosts (a database address): clients see its type only.
CLIENT_SAFE_FAILURES = frozenset(
    {*NON_RETRYABLE_PROVIDER_ERRORS, TransientProviderError.type_name, GONE, SETTLED, INVALID_TRANSITION}
)


def failure_of(error: BaseException) -> tuple[str, str]:
    """(type, message) of the root cause of an activity or child failure, for the item's error fields."""
    cause: BaseException = error
    while cause.__cause__ is not None:
        cause = cause.__cause__
    code = str(getattr(cause, "type", None) or type(cause).__name__)
    if isinstance(cause, ApplicationError) and code not in CLIENT_SAFE_FAILURES:
        return code, f"unexpected {code} in the worker; the worker log has the details"
    message = getattr(cause, "message", None) or str(cause)
    return code, str(message)
