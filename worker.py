"""The Temporal worker: builds every dependency once and registers every workflow and activity.

Run it with ``autopersonas worker`` or ``python worker.py``."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.analytics import AnalyticsActivities
from activities.analytics_schedules import ensure_analytics_schedules
from activities.batches import BatchActivities
from activities.campaigns import CampaignActivities
from activities.characters import CharacterActivities
from activities.cleanup import CleanupActivities
from activities.content import ContentActivities
from activities.experiments import ExperimentActivities
from activities.generation import GenerationActivities
from activities.jobs import JobActivities
from activities.maintenance import MaintenanceActivities
from activities.profiles import ProfileActivities
from activities.publishing import PublishingActivities
from activities.schedules import ensure_schedules
from activities.social_import import SocialImportActivities
from activities.video import VideoActivities
from activities.voice import VoiceActivities
from activities.voice_captions import VoiceCaptionActivities
from activities.voice_corpus import CorpusGrounding
from activities.webhooks import WebhookActivities
from core.crypto import TokenCipher, load_cipher
from core.logging import configure_logging
from core.metrics import worker_runtime
from core.settings import Settings, get_settings
from core.start_up import freeze_start_up_objects
from core.temporal import connect_with_backoff, ensure_search_attributes
from core.temporal_connection import connect_config, described_target
from core.tracing import configure_tracing
from providers.embeddings.base import EmbeddingsProvider
from providers.factory import (
    build_embeddings,
    build_image_provider,
    build_storage,
    build_text_provider,
    build_video,
    build_vision_provider,
    build_voice,
)
from providers.images.base import ImageProvider
from providers.social.base import SocialPlatform
from providers.social.registry import build_social_platforms
from providers.storage.base import MediaStorage
from providers.text.base import TextProvider
from providers.video.base import VideoProvider
from providers.vision.base import VisionProvider
from providers.voice.base import VoiceProvider
from store.db import create_engine, create_session_factory
from workflows.analytics_sync import AnalyticsSyncWorkflow
from workflows.analyze_photos import AnalyzePhotosWorkflow
from workflows.batch_generation import BatchGenerationWorkflow
from workflows.campaign_run import CampaignRunWorkflow
from workflows.content_directions_draft import ContentDirectionsDraftWorkflow
from workflows.fine_tune_caption import FineTuneCaptionWorkflow
from workflows.generation_chunk import GenerationChunkWorkflow
from workflows.influencer_cleanup import InfluencerCleanupWorkflow
from workflows.publish_content import PublishContentWorkflow
from workflows.purge_idempotency import PurgeExpiredIdempotencyWorkflow
from workflows.reconcile_stranded_work import ReconcileStrandedWorkWorkflow
from workflows.regenerate_content import RegenerateContentWorkflow
from workflows.render_video import RenderVideoWorkflow
from workflows.social_import import SocialImportWorkflow
from workflows.unpublish_content import UnpublishContentWorkflow
from workflows.video_comparison import VideoComparisonWorkflow
from workflows.video_experiment import VideoExperimentWorkflow
from workflows.voice_caption import VoiceCaptionWorkflow
from workflows.voice_clone import VoiceCloneWorkflow
from workflows.wardrobe_generation import WardrobeGenerationWorkflow
from workflows.webhook_delivery import WebhookDeliveryWorkflow
from workflows.webhook_sweep import DispatchWebhookEventsWorkflow

logger = logging.getLogger("autopersonas.worker")

WORKFLOWS: Sequence[type] = (
    InfluencerCleanupWorkflow,
    BatchGenerationWorkflow,
    GenerationChunkWorkflow,
    RegenerateContentWorkflow,
    FineTuneCaptionWorkflow,
    WardrobeGenerationWorkflow,
    AnalyzePhotosWorkflow,
    ContentDirectionsDraftWorkflow,
    PublishContentWorkflow,
    UnpublishContentWorkflow,
    ReconcileStrandedWorkWorkflow,
    PurgeExpiredIdempotencyWorkflow,
    RenderVideoWorkflow,
    VideoComparisonWorkflow,
    SocialImportWorkflow,
    WebhookDeliveryWorkflow,
    DispatchWebhookEventsWorkflow,
    VoiceCloneWorkflow,
    VoiceCaptionWorkflow,
    AnalyticsSyncWorkflow,
    VideoExperimentWorkflow,
    CampaignRunWorkflow,
)


@dataclass
class WorkerDependencies:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    storage: MediaStorage
    images: ImageProvider
    text: TextProvider
    vision: VisionProvider
    video: VideoProvider
    voice: VoiceProvider
    embeddings: EmbeddingsProvider
    cipher: TokenCipher
    platforms: dict[str, SocialPlatform]
    client: Client

    @classmethod
    def build(cls, settings: Settings, client: Client) -> WorkerDependencies:
        engine = create_engine(settings.resolved_database_url)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
            storage=build_storage(settings),
            images=build_image_provider(settings),
            text=build_text_provider(settings),
            vision=build_vision_provider(settings),
            video=build_video(settings),
            voice=build_voice(settings),
            embeddings=build_embeddings(settings),
            cipher=load_cipher(settings),
            platforms=build_social_platforms(settings),
            client=client,
        )

    async def close(self) -> None:
        for platform in self.platforms.values():
            await platform.aclose()
        await self.video.aclose()
        await self.voice.aclose()
        close_images = getattr(self.images, "aclose", None)  # the render pool, paced HTTP clients
        if close_images is not None:
            await close_images()
        await self.engine.dispose()


def activity_callables(deps: WorkerDependencies) -> list[Callable[..., Any]]:
    cleanup = CleanupActivities(deps.session_factory, deps.storage, deps.client, deps.voice)
    batches = BatchActivities(deps.session_factory, deps.storage, deps.images.name)
    grounding = CorpusGrounding(deps.session_factory, deps.embeddings)
    generation = GenerationActivities(deps.session_factory, deps.images, deps.text, deps.storage, grounding)
    jobs = JobActivities(deps.session_factory)
    content = ContentActivities(deps.session_factory, deps.text)
    characters = CharacterActivities(deps.session_factory, deps.text, deps.vision, deps.storage)
    profiles = ProfileActivities(deps.session_factory, deps.text)
    publishing = PublishingActivities(deps.session_factory, deps.platforms, deps.storage, deps.cipher)
    video = VideoActivities(deps.session_factory, deps.video, deps.storage)
    maintenance = MaintenanceActivities(deps.session_factory, deps.client, deps.settings)
    voice = VoiceActivities(deps.session_factory, deps.voice, deps.storage)
    voice_captions = VoiceCaptionActivities(
        deps.session_factory, deps.text, deps.vision, deps.storage, deps.embeddings, grounding
    )
    social_import = SocialImportActivities(
        deps.session_factory, deps.platforms, deps.storage, deps.cipher, deps.settings
    )
    webhooks = WebhookActivities(deps.session_factory, deps.cipher, deps.settings)
    analytics = AnalyticsActivities(deps.session_factory, deps.platforms, deps.cipher)
    experiments = ExperimentActivities(deps.session_factory, deps.platforms, deps.cipher)
    campaigns = CampaignActivities(deps.session_factory, deps.client, deps.settings)
    return [
        cleanup.mark_influencer_deleted,
        cleanup.cancel_influencer_workflows,
        cleanup.delete_influencer_media,
        cleanup.purge_influencer,
        batches.start_batch,
        batches.fail_item,
        batches.finalize_batch,
        generation.plan_item,
        generation.render_item,
        generation.write_caption,
        generation.save_content_item,
        generation.save_reference_image,
        generation.save_preview,
        jobs.complete_job,
        content.begin_regeneration,
        content.complete_regeneration,
        content.abort_regeneration,
        content.fine_tune_caption,
        characters.generate_wardrobe,
        characters.analyze_photos,
        profiles.draft_content_directions,
        publishing.create_post,
        publishing.await_published,
        publishing.fail_target,
        publishing.cancel_targets,
        publishing.settle_content,
        publishing.delete_post,
        maintenance.find_stranded_work,
        maintenance.restart_batch,
        maintenance.fail_stranded_job,
        maintenance.fail_stranded_comparison,
        maintenance.fail_stranded_import,
        maintenance.purge_expired_idempotency,
        video.begin_video,
        video.render_video,
        video.record_video,
        video.begin_comparison,
        video.fail_variant,
        video.finish_comparison,
        social_import.begin_import,
        social_import.fetch_page,
        social_import.record_posts,
        social_import.import_post,
        social_import.record_progress,
        social_import.finish_import,
        webhooks.attempt_delivery,
        webhooks.sweep_undispatched,
        voice.release_voice,
        voice.clone_voice,
        voice.record_voice_ready,
        voice.record_voice_failed,
        voice_captions.write_voice_captions,
        analytics.begin_analytics_sync,
        analytics.sync_metrics_page,
        analytics.finish_analytics_sync,
        experiments.open_experiment_wave,
        experiments.measure_experiment_wave,
        experiments.decide_experiment,
        campaigns.begin_run,
        campaigns.record_batch,
        campaigns.hand_off,
        campaigns.finish_run,
    ]


def build_worker(deps: WorkerDependencies, task_queue: str | None = None) -> Worker:
    return Worker(
        deps.client,
        task_queue=task_queue or deps.settings.task_queue,
        workflows=list(WORKFLOWS),
        activities=activity_callables(deps),
        max_concurrent_activities=deps.settings.worker_activity_slots,
        identity=deps.settings.worker_identity,
        # On shutdown, running activities get this long to finish before they are cancelled.
        graceful_shutdown_timeout=timedelta(seconds=deps.settings.shutdown_grace_seconds),
    )


async def run_worker(settings: Settings) -> None:
    client = await connect_with_backoff(settings, runtime=worker_runtime(settings))
    await ensure_search_attributes(client, client.namespace)
    await ensure_schedules(client, settings.task_queue)
    deps = WorkerDependencies.build(settings, client)
    target = described_target(connect_config(settings))
    await ensure_analytics_schedules(client, deps.session_factory, settings)
    logger.info(
        "worker.started task_queue=%s temporal=%s metrics_port=%s",
        settings.task_queue,
        target,
        settings.worker_metrics_port or "off",
    )
    warm = getattr(deps.images, "warm", None)  # the local render pool starts its processes while we poll
    warming = asyncio.create_task(warm()) if warm is not None else None
    try:
        worker = build_worker(deps)
        freeze_start_up_objects()
        await run_until_signalled(worker, settings.shutdown_grace_seconds)
    finally:
        if warming is not None:
            await asyncio.gather(warming, return_exceptions=True)
        await deps.close()


async def run_until_signalled(worker: Worker, grace_seconds: float) -> None:
    """Run ``worker`` until SIGTERM or SIGINT (what systemd, Kubernetes and ``autopersonas dev`` send),
    then drain: stop polling, let running activities finish for up to the grace period, return."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    running = asyncio.create_task(worker.run())
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set() and not running.done():
            logger.info("worker.draining grace=%.0fs", grace_seconds)
            await worker.shutdown()
        await running
    finally:
        stopping.cancel()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def main(overrides: dict[str, Any] | None = None) -> None:
    """Run a worker; ``overrides`` are settings given on the command line (``autopersonas worker --...``)."""
    settings = get_settings().model_copy(update=overrides or {})
    configure_logging(settings.log_level, settings.log_format)
    configure_tracing("autopersonas-worker")
    try:
        asyncio.run(run_worker(settings))
    except KeyboardInterrupt:
        logger.info("worker.interrupted")
        return
    logger.info("worker.stopped")


if __name__ == "__main__":
    main()
