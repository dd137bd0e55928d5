"""The API's Prometheus instruments, created once per process on prometheus-client's default registry
(every app built in the process, e.g. by tests, counts into the same series)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Labels stay bounded: the route is the path template ("/api/v1/batches/{batch_id}"), never the raw path,
# and a request that matched no route is "unmatched".
REQUESTS = Counter(
    "autopersonas_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "autopersonas_http_request_duration_seconds",
    "Time from the first byte of the request to the end of the response, by method, route template and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
UNMATCHED_ROUTE = "unmatched"
