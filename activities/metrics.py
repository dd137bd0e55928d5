"""Product counters, incremented inside activities on the Temporal SDK's metric meter.

They live in the worker process, where the work happens, so they are served by the worker's Prometheus
endpoint (``WORKER_METRICS_PORT``, see ``core/metrics.py``) beside the SDK's own metrics, not by the API's
``/metrics``. The SDK adds ``namespace``, ``task_queue`` and ``activity_type`` labels; we add the
provider or platform and the outcome. With the port unset the meter is a no-op. Each counter is bumped
where the outcome is committed, once per outcome: retried attempts that change nothing count nothing."""

from __future__ import annotations

from temporalio import activity

ITEMS_GENERATED = "autopersonas_items_generated"
ITEMS_FAILED = "autopersonas_items_failed"
POSTS_PUBLISHED = "autopersonas_posts_published"
POSTS_FAILED = "autopersonas_posts_failed"
# Defined for the webhook delivery activity: bump it with ``webhook_delivered(event_type)`` once a
# delivery is acknowledged by the receiver (a 2xx), not per attempt.
WEBHOOKS_DELIVERED = "autopersonas_webhooks_delivered"

_DESCRIPTIONS = {
    ITEMS_GENERATED: "Generated items saved (content, reference images, previews), by image provider and kind",
    ITEMS_FAILED: "Generated items that failed after their retries, by image provider",
    POSTS_PUBLISHED: "Posts published on a platform, by platform",
    POSTS_FAILED: "Publish targets that failed, by platform",
    WEBHOOKS_DELIVERED: "Webhook deliveries acknowledged by the receiver, by event type",
}


def _add(name: str, attributes: dict[str, str]) -> None:
    if not activity.in_activity():
        # Activity code called directly (a unit test, a script): there is no meter to count on.
        return
    counter = activity.metric_meter().create_counter(name, _DESCRIPTIONS[name])
    counter.add(1, attributes)


def item_generated(provider: str, kind: str) -> None:
    _add(ITEMS_GENERATED, {"provider": provider, "kind": kind})


def item_failed(provider: str) -> None:
    _add(ITEMS_FAILED, {"provider": provider})


def post_published(platform: str) -> None:
    _add(POSTS_PUBLISHED, {"platform": platform})


def post_failed(platform: str) -> None:
    _add(POSTS_FAILED, {"platform": platform})


def webhook_delivered(event_type: str) -> None:
    _add(WEBHOOKS_DELIVERED, {"event_type": event_type})
