"""Starting, reading and cancelling imports. One import per connected account at a time: a second start
while one is queued or running answers 409 naming it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.social_import.schemas import ImportCreate
from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from contracts.search import search_attributes
from contracts.social_import import SOCIAL_IMPORT_WORKFLOW, SocialImportInput, import_workflow_id
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.ids import new_id
from domain.accounts import SocialAccountStatus
from domain.imports import FINISHED_IMPORT_STATUSES, ImportPlatform, ImportStatus
from store.models import ImportJob
from store.repositories.imports import ImportJobRepository
from store.repositories.profiles import SocialAccountRepository
from store.types import utcnow

INSTAGRAM_GATE = "Instagram import is pending the Meta scope upgrade (AUTOPERSONAS_INSTAGRAM_IMPORT_ENABLED)"


async def start_import(
    starter: WorkflowStarter, *, account_id: str, platform: ImportPlatform, body: ImportCreate
) -> ImportJob:
    if platform == ImportPlatform.INSTAGRAM and not starter.settings.instagram_import_enabled:
        raise Forbidden(INSTAGRAM_GATE, code="feature_disabled", details={"platform": platform.value})
    session = starter.session
    # Locked for the rest of the request, so two concurrent starts for one account serialise and the second
    # sees the first one's job (409) instead of both passing the check below.
    social = await SocialAccountRepository(session).get_for_update(body.account_id)
    if social is None or social.account_id != account_id:
        raise NotFound(f"account {body.account_id} not found")
    if social.platform != platform:
        raise ValidationFailed(
            f"account {social.id} is a {social.platform} account, not {platform.value}",
            details=[{"field": "accountId", "message": f"not a {platform.value} account"}],
        )
    if social.profile_id is None:
        # The media library is a profile's: posts of an account attached to none would be out of reach.
        raise ValidationFailed(
            f"account {social.id} is not attached to a profile; attach it first (PATCH /accounts/{social.id})",
            details=[{"field": "accountId", "message": "not attached to a profile"}],
        )
    if social.status != SocialAccountStatus.ACTIVE:
        raise Conflict(f"account {social.id} is {social.status}; reconnect it first", code="account_not_connected")
    repo = ImportJobRepository(session)
    running = await repo.open_for_account(social.id)
    if running is not None:
        raise Conflict(
            f"account {social.id} already has an import running: {running.id}",
            code="already_running",
            details={"jobId": running.id},
        )
    job_id = new_id("imp")
    job = await repo.add(
        ImportJob(
            id=job_id,
            account_id=account_id,
            social_account_id=social.id,
            profile_id=social.profile_id,
            platform=platform.value,
            status=ImportStatus.QUEUED,
            since=body.since,
            max_posts=body.max_posts,
            include_media=body.include_media,
            workflow_id=import_workflow_id(job_id),
        )
    )

    async def failed(failure: StartFailure) -> None:
        await repo.mark(job, ImportStatus.FAILED, error=failure.message, finished_at=utcnow())

    handle = await starter.start(
        WorkflowLaunch(
            workflow=SOCIAL_IMPORT_WORKFLOW,
            input=SocialImportInput(
                job_id=job_id,
                account_id=account_id,
                social_account_id=social.id,
                since=body.since,
                max_posts=body.max_posts,
                include_media=body.include_media,
                heartbeat_timeout_seconds=starter.settings.heartbeat_timeout_seconds,
            ),
            workflow_id=job.workflow_id,
            search_attributes=search_attributes(account_id, profile_id=social.profile_id),
            summary=f"Import up to {body.max_posts} {platform.value} posts of @{social.handle}",
            resource_path=f"/social-import/jobs/{job_id}",
            busy_message=f"import {job_id} is already running",
            on_failure=failed,
        )
    )
    job.run_id = handle.result_run_id
    return job


async def get_import(session: AsyncSession, account_id: str, job_id: str) -> ImportJob:
    return await ImportJobRepository(session).get_owned(account_id, job_id)


async def cancel_import(starter: WorkflowStarter, account_id: str, job_id: str) -> ImportJob:
    job = await get_import(starter.session, account_id, job_id)
    if job.status in FINISHED_IMPORT_STATUSES:
        raise Conflict(f"import job {job_id} has already finished ({job.status})", code="invalid_transition")
    await starter.cancel(job.workflow_id, wait=True)
    await starter.session.refresh(job)
    return job
