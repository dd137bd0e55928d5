"""What a batch item or job shows as its error: our own failure messages as written, and only the type of
an unexpected exception, whose text may name internal hosts."""

from __future__ import annotations

from temporalio.exceptions import ActivityError, ApplicationError, RetryState

from core.errors import ContentPolicyError
from workflows.options import failure_of


def _activity_failure(cause: ApplicationError) -> ActivityError:
    error = ActivityError(
        "activity failed",
        scheduled_event_id=1,
        started_event_id=2,
        identity="worker",
        activity_type="render_item",
        activity_id="1",
        retry_state=RetryState.MAXIMUM_ATTEMPTS_REACHED,
    )
    error.__cause__ = cause
    return error


def test_an_unexpected_exception_shows_its_type_but_not_its_text() -> None:
    leaked = ApplicationError("Connect call failed ('10.1.2.3', 5432)", type="OSError")
    code, message = failure_of(_activity_failure(leaked))
    assert code == "OSError"
    assert "10.1.2.3" not in message and "5432" not in message
    assert "OSError" in message


def test_a_provider_refusal_keeps_its_message() -> None:
    refusal = ApplicationError("the prompt was refused by the safety system", type=ContentPolicyError.type_name)
    assert failure_of(_activity_failure(refusal)) == (
        ContentPolicyError.type_name,
        "the prompt was refused by the safety system",
    )
