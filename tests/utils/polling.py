"""Waiting for asynchronous work over the public API."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.utils.factories import Tenant

FINISHED_BATCH = {"completed", "partially_failed", "failed", "cancelled"}


async def wait_for_batch(
    http: httpx.AsyncClient, tenant: Tenant, batch_id: str, timeout: float = 120.0, every: float = 0.25
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await http.get(f"/api/v1/batches/{batch_id}", headers=tenant.headers)
        assert response.status_code == 200, response.text
        batch: dict[str, Any] = response.json()
        if batch["status"] in FINISHED_BATCH:
            return batch
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"batch {batch_id} still {batch['status']} after {timeout}s: {batch['counts']}")
        await asyncio.sleep(every)


async def wait_for_job(http: httpx.AsyncClient, tenant: Tenant, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        job: dict[str, Any] = (await http.get(f"/api/v1/jobs/{job_id}", headers=tenant.headers)).json()
        if job["status"] in ("completed", "failed"):
            return job
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout}s")
        await asyncio.sleep(0.25)
