"""``GET /jobs/{id}`` is readable with the scope that started the job, and the job-starting POSTs whose
fields are all optional take no body at all."""

from __future__ import annotations

import httpx

from core.scopes import Scope
from tests.api.test_content import ai_profile, upload_content
from tests.utils.factories import Tenant, add_key, create_influencer
from tests.utils.polling import wait_for_job
from tests.utils.stack import Stack


class TestJobScopes:
    async def test_wardrobe_job_is_readable_with_character_write_alone(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        influencer = await create_influencer(http, tenant)
        writer = await add_key(stack.sessions, tenant.account_id, [Scope.CHARACTER_WRITE])
        started = await http.post(f"/api/v1/characters/{influencer['id']}/wardrobe/generate", headers=writer.headers)
        assert started.status_code in (200, 202), started.text
        job = await http.get(f"/api/v1/jobs/{started.json()['id']}", headers=writer.headers)
        assert job.status_code == 200, job.text
        assert job.json()["kind"] == "wardrobe"
        if started.status_code == 202:
            assert started.headers["location"] == f"/api/v1/jobs/{started.json()['id']}"
            await wait_for_job(http, writer, started.json()["id"])

    async def test_a_job_of_another_kind_is_403_for_that_key(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        tuned = await http.post(f"/api/v1/content/{content_id}/fine-tune-caption", headers=tenant.headers)
        assert tuned.status_code in (200, 202), tuned.text
        job_id = tuned.headers["x-job-id"]

        character_writer = await add_key(stack.sessions, tenant.account_id, [Scope.CHARACTER_WRITE])
        refused = await http.get(f"/api/v1/jobs/{job_id}", headers=character_writer.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "missing_scope"
        assert "content:read" in refused.json()["error"]["message"]

        content_writer = await add_key(stack.sessions, tenant.account_id, [Scope.CONTENT_WRITE])
        readable = await http.get(f"/api/v1/jobs/{job_id}", headers=content_writer.headers)
        assert readable.status_code == 200, readable.text
        assert readable.json()["kind"] == "fine_tune_caption"

    async def test_a_key_with_no_job_scope_is_403(self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        started = await http.post(f"/api/v1/characters/{influencer['id']}/wardrobe/generate", headers=tenant.headers)
        reader = await add_key(stack.sessions, tenant.account_id, [Scope.CHARACTER_READ, Scope.PROFILE_READ])
        refused = await http.get(f"/api/v1/jobs/{started.json()['id']}", headers=reader.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "missing_scope"

    async def test_another_accounts_job_is_404_even_with_the_starting_scope(
        self, http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        influencer = await create_influencer(http, tenant)
        started = await http.post(f"/api/v1/characters/{influencer['id']}/wardrobe/generate", headers=tenant.headers)
        foreign = await http.get(f"/api/v1/jobs/{started.json()['id']}", headers=other_tenant.headers)
        assert foreign.status_code == 404


class TestOptionalBodies:
    async def test_wardrobe_generate_takes_no_body(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        started = await http.post(f"/api/v1/characters/{influencer['id']}/wardrobe/generate", headers=tenant.headers)
        assert started.status_code in (200, 202), started.text
        job = await wait_for_job(http, tenant, started.json()["id"])
        assert job["status"] == "completed", job

    async def test_fine_tune_caption_takes_no_body(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        tuned = await http.post(f"/api/v1/content/{content_id}/fine-tune-caption", headers=tenant.headers)
        assert tuned.status_code in (200, 202), tuned.text
        job = await wait_for_job(http, tenant, tuned.headers["x-job-id"])
        assert job["status"] == "completed", job
