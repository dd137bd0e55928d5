"""The worker's metrics: the Temporal SDK runtime's own Prometheus exporter.

The SDK serves its metrics (task slots, poll latencies, activity and workflow outcomes...) at
``http://HOST:PORT/metrics`` from its core thread. Our product counters, incremented inside activities,
are created on the same runtime's metric meter (``activities/metrics.py``), so one scrape of a worker
returns both, and nothing else in the worker process serves HTTP."""

from __future__ import annotations

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from core.settings import Settings


def prometheus_runtime(host: str, port: int) -> Runtime:
    """A runtime whose metrics are served on ``host:port``; bind fails at once if the port is taken."""
    return Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=f"{host}:{port}",
                # Seconds and a ``_total`` suffix on counters: the Prometheus naming conventions.
                durations_as_seconds=True,
                counters_total_suffix=True,
            )
        )
    )


def worker_runtime(settings: Settings) -> Runtime | None:
    """The worker's runtime when ``WORKER_METRICS_PORT`` is set; None keeps the SDK's default runtime."""
    if settings.worker_metrics_port is None:
        return None
    return prometheus_runtime(settings.worker_metrics_host, settings.worker_metrics_port)
