"""VoiceCloneWorkflow on a real Temporal dev server, with stand-in activities (same names): a change of
samples while a clone runs supersedes it (the running one is terminated, the new one records ``ready``
once, for its own revision), a clone the provider refuses records ``failed``, and too few samples only
release the old voice."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.client import WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contracts.voice import (
    VOICE_CLONE_WORKFLOW,
    ClonedVoiceRef,
    VoiceCloneInput,
    VoiceCloneResult,
    VoiceFailedInput,
    VoiceReadyInput,
)
from domain.voice import CloneStatus
from workflows.voice_clone import VoiceCloneWorkflow


class VoiceStandIn:
    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.started: list[int] = []
        self.ready: list[tuple[int, str]] = []
        self.failed: list[tuple[int, str]] = []
        self.released: list[int] = []
        self.hold_first = asyncio.Event()

    def activities(self) -> list[Callable[..., Any]]:
        return [self.release_voice, self.clone_voice, self.record_voice_ready, self.record_voice_failed]

    @activity.defn(name="release_voice")
    async def release_voice(self, input: VoiceCloneInput) -> bool:
        self.released.append(input.revision)
        return True

    @activity.defn(name="clone_voice")
    async def clone_voice(self, input: VoiceCloneInput) -> ClonedVoiceRef | None:
        self.started.append(input.revision)
        if self.refuse:
            raise ApplicationError(
                "voice cloning answered 400: bad audio", type="PermanentProviderError", non_retryable=True
            )
        if input.revision == 1:
            await self.hold_first.wait()  # the first clone is still uploading when the samples change
        return ClonedVoiceRef(provider="stand-in", voice_id=f"voice-{input.revision}")

    @activity.defn(name="record_voice_ready")
    async def record_voice_ready(self, input: VoiceReadyInput) -> bool:
        self.ready.append((input.revision, input.voice.voice_id))
        return True

    @activity.defn(name="record_voice_failed")
    async def record_voice_failed(self, input: VoiceFailedInput) -> bool:
        self.failed.append((input.revision, input.error))
        return True


def _input(revision: int, clone: bool = True) -> VoiceCloneInput:
    return VoiceCloneInput(account_id="acc_1", influencer_id="inf_1", revision=revision, clone=clone)


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("condition not met")


async def test_a_change_of_samples_supersedes_the_running_clone(temporal_env: WorkflowEnvironment) -> None:
    client, queue, stand_in = temporal_env.client, f"voice-{uuid.uuid4()}", VoiceStandIn()
    workflow_id = f"voice-clone-test-{uuid.uuid4()}"
    async with Worker(client, task_queue=queue, workflows=[VoiceCloneWorkflow], activities=stand_in.activities()):
        first = await client.start_workflow(
            VOICE_CLONE_WORKFLOW, _input(1), id=workflow_id, task_queue=queue,
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
        )  # fmt: skip
        await _until(lambda: stand_in.started == [1])
        second = await client.start_workflow(
            VOICE_CLONE_WORKFLOW, _input(2), id=workflow_id, task_queue=queue, result_type=VoiceCloneResult,
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
        )  # fmt: skip
        result = await second.result()
        stand_in.hold_first.set()
        superseded = await client.get_workflow_handle(workflow_id, run_id=first.result_run_id).describe()
    assert result == VoiceCloneResult(status=CloneStatus.READY, voice_id="voice-2")
    assert superseded.status == WorkflowExecutionStatus.TERMINATED
    assert stand_in.ready == [(2, "voice-2")]  # the superseded run never recorded anything


async def test_a_refused_clone_records_failed(temporal_env: WorkflowEnvironment) -> None:
    client, queue, stand_in = temporal_env.client, f"voice-{uuid.uuid4()}", VoiceStandIn(refuse=True)
    async with Worker(client, task_queue=queue, workflows=[VoiceCloneWorkflow], activities=stand_in.activities()):
        result = await client.execute_workflow(
            VOICE_CLONE_WORKFLOW, _input(3), id=f"voice-clone-test-{uuid.uuid4()}", task_queue=queue,
            result_type=VoiceCloneResult,
        )  # fmt: skip
    assert result.status == CloneStatus.FAILED
    assert stand_in.started == [3]  # a permanent refusal is not retried
    assert stand_in.failed == [(3, "PermanentProviderError: voice cloning answered 400: bad audio")]
    assert stand_in.ready == []


async def test_too_few_samples_only_release_the_old_voice(temporal_env: WorkflowEnvironment) -> None:
    client, queue, stand_in = temporal_env.client, f"voice-{uuid.uuid4()}", VoiceStandIn()
    async with Worker(client, task_queue=queue, workflows=[VoiceCloneWorkflow], activities=stand_in.activities()):
        result = await client.execute_workflow(
            VOICE_CLONE_WORKFLOW, _input(4, clone=False), id=f"voice-clone-test-{uuid.uuid4()}", task_queue=queue,
            result_type=VoiceCloneResult,
        )  # fmt: skip
    assert result.status == CloneStatus.INSUFFICIENT_SAMPLES
    assert stand_in.released == [4] and stand_in.started == []
