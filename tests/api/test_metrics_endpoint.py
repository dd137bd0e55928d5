"""``GET /metrics`` on the API: request counts and latency by method, route template and status."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.utils.factories import Tenant


def sample(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


async def scrape(http: httpx.AsyncClient) -> str:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_requests_are_counted_by_route_template_and_status(http: httpx.AsyncClient, tenant: Tenant) -> None:
    route = "/api/v1/influencers/{influencer_id}"
    missing = {"method": "GET", "route": route, "status": "404"}
    listing = {"method": "GET", "route": "/api/v1/influencers", "status": "200"}
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    before = await scrape(http)

    for n in range(3):
        assert (await http.get(f"/api/v1/influencers/inf_missing{n}", headers=tenant.headers)).status_code == 404
    assert (await http.get("/api/v1/influencers", headers=tenant.headers)).status_code == 200
    assert (await http.get("/no/such/path")).status_code == 404

    after = await scrape(http)
    counter = "autopersonas_http_requests_total"
    assert sample(after, counter, **missing) - sample(before, counter, **missing) == 3
    assert sample(after, counter, **listing) - sample(before, counter, **listing) == 1
    assert sample(after, counter, **unmatched) - sample(before, counter, **unmatched) == 1
    # Raw ids never become label values: the series count stays bounded by the routes.
    assert "inf_missing0" not in after
    histogram = "autopersonas_http_request_duration_seconds_count"
    assert sample(after, histogram, **missing) - sample(before, histogram, **missing) == 3
    assert sample(after, "autopersonas_http_request_duration_seconds_sum", **missing) > 0
