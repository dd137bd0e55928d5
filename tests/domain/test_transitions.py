"""The transition tables: disallowed moves raise a 409 ``invalid_transition``, allowed ones pass, and every
enum's values are exactly the strings stored in the database and served by the API."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from domain.accounts import SocialAccountStatus, can_account_transition, check_account_transition
from domain.batches import (
    OPEN_ITEM_STATUSES,
    SETTLED_ITEM_STATUSES,
    BatchItemStatus,
    BatchStatus,
    batch_outcome,
    check_batch_transition,
    check_item_transition,
    item_sources,
)
from domain.content import ContentAction, ContentStatus, check_transition
from domain.jobs import JobKind, JobStatus, check_job_transition
from domain.publishing import (
    MediaStatus,
    PostStatus,
    PublicationStatus,
    check_publication_transition,
    content_status_after,
)


def test_enum_values_are_the_stored_strings() -> None:
    assert [s.value for s in ContentStatus] == [
        "generating", "pending_review", "approved", "rejected", "scheduled", "publishing", "published",
        "publish_failed",
    ]  # fmt: skip
    assert [s.value for s in BatchStatus] == [
        "queued", "running", "completed", "partially_failed", "failed", "cancelled"
    ]  # fmt: skip
    assert [s.value for s in BatchItemStatus] == ["pending", "running", "completed", "failed", "cancelled"]
    assert [s.value for s in JobStatus] == ["queued", "running", "completed", "failed"]
    assert [s.value for s in JobKind] == [
        "regenerate", "fine_tune_caption", "wardrobe", "analyze_photos", "content_directions", "video",
        "voice_caption",
    ]  # fmt: skip
    assert [s.value for s in PublicationStatus] == [
        "scheduled", "publishing", "published", "failed", "cancelled", "unpublished"
    ]  # fmt: skip
    assert [s.value for s in SocialAccountStatus] == ["active", "needs_reauth", "disconnected"]
    assert [s.value for s in PostStatus] == ["processing", "published", "failed"]
    assert [s.value for s in MediaStatus] == ["processing", "ready", "failed"]


def test_the_api_documents_exactly_the_domain_statuses() -> None:
    from api.app import create_app
    from core.settings import Settings

    spec = create_app(Settings()).openapi()

    def documented(schema: str, field: str) -> set[str]:
        prop = spec["components"]["schemas"][schema]["properties"][field]
        target = prop.get("$ref") or prop.get("allOf", [{}])[0].get("$ref")
        enum = spec["components"]["schemas"][target.rsplit("/", 1)[1]]["enum"] if target else prop["enum"]
        return set(enum)

    assert documented("BatchOut", "status") == set(BatchStatus)
    assert documented("BatchItemOut", "status") == set(BatchItemStatus)
    assert documented("JobOut", "status") == set(JobStatus)
    assert documented("SocialAccountOut", "status") == set(SocialAccountStatus)


def test_statuses_compare_equal_to_their_database_strings() -> None:
    assert JobStatus.COMPLETED == "completed"
    assert "partially_failed" in set(BatchStatus)


class TestJobs:
    @pytest.mark.parametrize(
        ("current", "new"),
        [("queued", JobStatus.RUNNING), ("running", JobStatus.COMPLETED), ("running", JobStatus.FAILED),
         ("queued", JobStatus.FAILED), ("running", JobStatus.RUNNING)],
    )  # fmt: skip
    def test_allowed(self, current: str, new: JobStatus) -> None:
        check_job_transition(current, new)

    @pytest.mark.parametrize(
        ("current", "new"),
        [("queued", JobStatus.COMPLETED), ("completed", JobStatus.FAILED), ("failed", JobStatus.RUNNING),
         ("completed", JobStatus.QUEUED)],
    )  # fmt: skip
    def test_refused(self, current: str, new: JobStatus) -> None:
        with pytest.raises(Conflict) as raised:
            check_job_transition(current, new)
        assert raised.value.code == "invalid_transition"
        assert raised.value.details["status"] == current


class TestBatches:
    def test_a_batch_runs_then_finishes(self) -> None:
        check_batch_transition("queued", BatchStatus.RUNNING)
        for final in (BatchStatus.COMPLETED, BatchStatus.PARTIALLY_FAILED, BatchStatus.FAILED, BatchStatus.CANCELLED):
            check_batch_transition("running", final)

    def test_a_batch_that_could_not_start_fails_from_the_queue(self) -> None:
        check_batch_transition("queued", BatchStatus.FAILED)

    @pytest.mark.parametrize("final", ["completed", "partially_failed", "failed", "cancelled"])
    def test_a_finished_batch_stays_finished(self, final: str) -> None:
        with pytest.raises(Conflict):
            check_batch_transition(final, BatchStatus.RUNNING)

    def test_a_settled_item_stays_settled(self) -> None:
        for settled in SETTLED_ITEM_STATUSES:
            for other in BatchItemStatus:
                if other != settled:
                    with pytest.raises(Conflict):
                        check_item_transition(settled, other)

    def test_an_item_is_planned_before_it_completes(self) -> None:
        check_item_transition("pending", BatchItemStatus.RUNNING)
        check_item_transition("running", BatchItemStatus.COMPLETED)
        with pytest.raises(Conflict):
            check_item_transition("pending", BatchItemStatus.COMPLETED)

    def test_conditional_updates_never_touch_settled_items(self) -> None:
        assert OPEN_ITEM_STATUSES == {BatchItemStatus.PENDING, BatchItemStatus.RUNNING}
        assert item_sources(BatchItemStatus.COMPLETED) == {BatchItemStatus.RUNNING}
        assert item_sources(BatchItemStatus.RUNNING) == {BatchItemStatus.PENDING, BatchItemStatus.RUNNING}
        assert item_sources(BatchItemStatus.CANCELLED) == OPEN_ITEM_STATUSES

    @pytest.mark.parametrize(
        ("completed", "failed", "cancelled", "was_cancelled", "status"),
        [
            (3, 0, 0, False, BatchStatus.COMPLETED),
            (0, 3, 0, False, BatchStatus.FAILED),
            (2, 1, 0, False, BatchStatus.PARTIALLY_FAILED),
            (2, 0, 1, False, BatchStatus.CANCELLED),
            (3, 0, 0, True, BatchStatus.CANCELLED),
        ],
    )
    def test_outcome_follows_the_counts(
        self, completed: int, failed: int, cancelled: int, was_cancelled: bool, status: BatchStatus
    ) -> None:
        assert (
            batch_outcome(completed=completed, failed=failed, cancelled=cancelled, was_cancelled=was_cancelled)
            == status
        )


class TestPublications:
    @pytest.mark.parametrize(
        ("current", "new"),
        [("scheduled", PublicationStatus.PUBLISHING), ("scheduled", PublicationStatus.CANCELLED),
         ("publishing", PublicationStatus.PUBLISHED), ("publishing", PublicationStatus.FAILED),
         ("failed", PublicationStatus.PUBLISHING), ("published", PublicationStatus.UNPUBLISHED),
         ("publishing", PublicationStatus.PUBLISHING)],
    )  # fmt: skip
    def test_allowed(self, current: str, new: PublicationStatus) -> None:
        check_publication_transition(current, new)

    @pytest.mark.parametrize(
        ("current", "new"),
        [("cancelled", PublicationStatus.PUBLISHING), ("published", PublicationStatus.FAILED),
         ("unpublished", PublicationStatus.PUBLISHED), ("scheduled", PublicationStatus.PUBLISHED)],
    )  # fmt: skip
    def test_refused(self, current: str, new: PublicationStatus) -> None:
        with pytest.raises(Conflict):
            check_publication_transition(current, new)

    def test_content_status_follows_its_targets(self) -> None:
        assert content_status_after(["published", "unpublished"]) == ContentStatus.PUBLISHED
        assert content_status_after(["published", "failed"]) == ContentStatus.PUBLISH_FAILED
        assert content_status_after(["published", "cancelled"]) == ContentStatus.PUBLISHED
        assert content_status_after(["cancelled"]) == ContentStatus.APPROVED
        assert content_status_after([]) == ContentStatus.APPROVED


class TestSocialAccounts:
    def test_a_refused_refresh_asks_for_reauth_and_reconnecting_restores(self) -> None:
        check_account_transition("active", SocialAccountStatus.NEEDS_REAUTH)
        check_account_transition("needs_reauth", SocialAccountStatus.ACTIVE)

    def test_a_disconnected_account_is_not_flagged_for_reauth(self) -> None:
        assert not can_account_transition("disconnected", SocialAccountStatus.NEEDS_REAUTH)


class TestContent:
    def test_approve_from_review_passes(self) -> None:
        check_transition(ContentAction.APPROVE, ContentStatus.PENDING_REVIEW)

    def test_publish_from_review_is_refused(self) -> None:
        with pytest.raises(Conflict) as raised:
            check_transition(ContentAction.PUBLISH, "pending_review")
        assert raised.value.details["allowedFrom"] == ["approved", "publish_failed", "published"]
