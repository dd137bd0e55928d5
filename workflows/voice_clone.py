"""Clone a character's voice from its samples. One per character (``voice-clone-<influencerId>``): the API
starts it with "terminate the running one", so a change of samples supersedes a clone in flight and two
never run at once; the ``revision`` it carries keeps a superseded run from recording anything."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.voice import VoiceActivities
    from contracts.voice import (
        VOICE_CLONE_WORKFLOW,
        VoiceCloneInput,
        VoiceCloneResult,
        VoiceFailedInput,
        VoiceReadyInput,
    )
    from domain.voice import CloneStatus
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, PROVIDER_RETRY, PROVIDER_TIMEOUT, failure_of

# Uploading five minutes of audio and waiting for the voice: heartbeats say the worker is alive meanwhile.
CLONE_HEARTBEAT = timedelta(seconds=20)


@workflow.defn(name=VOICE_CLONE_WORKFLOW)
class VoiceCloneWorkflow:
    @workflow.run
    async def run(self, input: VoiceCloneInput) -> VoiceCloneResult:
        if not input.clone:
            await workflow.execute_activity_method(
                VoiceActivities.release_voice, input, start_to_close_timeout=PROVIDER_TIMEOUT,
                retry_policy=PROVIDER_RETRY,
            )  # fmt: skip
            return VoiceCloneResult(status=CloneStatus.INSUFFICIENT_SAMPLES)
        try:
            voice = await workflow.execute_activity_method(
                VoiceActivities.clone_voice, input, start_to_close_timeout=PROVIDER_TIMEOUT,
                heartbeat_timeout=CLONE_HEARTBEAT, retry_policy=PROVIDER_RETRY,
            )  # fmt: skip
        except ActivityError as error:
            code, message = failure_of(error)
            failed = VoiceFailedInput(
                account_id=input.account_id, influencer_id=input.influencer_id, revision=input.revision,
                error=f"{code}: {message}",
            )  # fmt: skip
            await workflow.execute_activity_method(
                VoiceActivities.record_voice_failed, failed, start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )  # fmt: skip
            return VoiceCloneResult(status=CloneStatus.FAILED)
        if voice is None:
            return VoiceCloneResult(status=CloneStatus.CLONING, superseded=True)
        ready = VoiceReadyInput(
            account_id=input.account_id, influencer_id=input.influencer_id, revision=input.revision, voice=voice
        )
        recorded = await workflow.execute_activity_method(
            VoiceActivities.record_voice_ready, ready, start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )  # fmt: skip
        if not recorded:
            return VoiceCloneResult(status=CloneStatus.CLONING, superseded=True)
        return VoiceCloneResult(status=CloneStatus.READY, voice_id=voice.voice_id)
