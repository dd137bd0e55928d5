"""Import jobs: the stored status strings, the moves a job may make, and its outcome from its counts."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from domain.imports import (
    FINISHED_IMPORT_STATUSES,
    ImportStatus,
    check_import_transition,
    import_outcome,
)


def test_status_values_are_the_stored_strings() -> None:
    assert [s.value for s in ImportStatus] == [
        "queued", "running", "completed", "partially_failed", "failed", "cancelled"
    ]  # fmt: skip


def test_a_finished_import_stays_finished() -> None:
    for status in FINISHED_IMPORT_STATUSES:
        with pytest.raises(Conflict):
            check_import_transition(status, ImportStatus.RUNNING)
    check_import_transition("queued", ImportStatus.RUNNING)
    check_import_transition("running", ImportStatus.CANCELLED)


@pytest.mark.parametrize(
    ("imported", "skipped", "failed", "cancelled", "expected"),
    [
        (43, 0, 0, False, ImportStatus.COMPLETED),
        (0, 43, 0, False, ImportStatus.COMPLETED),
        (0, 0, 0, False, ImportStatus.COMPLETED),
        (40, 1, 2, False, ImportStatus.PARTIALLY_FAILED),
        (0, 0, 3, False, ImportStatus.FAILED),
        (10, 0, 3, True, ImportStatus.CANCELLED),
    ],
)
def test_outcome_from_counts(imported: int, skipped: int, failed: int, cancelled: bool, expected: ImportStatus) -> None:
    assert import_outcome(imported=imported, skipped=skipped, failed=failed, was_cancelled=cancelled) == expected
