"""A/B experiment steps: open a wave (a publishing round whose posts carry the wave's variants), measure a
wave once its window is over, and decide (the winner's video becomes the item's, the figures stay on the
comparison). Publishing itself is the ordinary ``PublishContentWorkflow``, run as a child, so its never-post-
twice guards hold here too; a wave's publications name their variant (``video_variant_id``).

Each step is idempotent: a wave already opened returns its publications, a measurement overwrites the same
trial's figures, and a decided experiment is not decided again."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.errors import gone, provider_errors
from activities.social import connected_credentials
from contracts.experiments import (
    DecideInput,
    ExperimentRecord,
    ExperimentResult,
    VariantTrial,
    WaveInput,
    WaveOpened,
)
from contracts.publishing import post_idempotency_key, publish_workflow_id
from core.crypto import TokenCipher
from core.errors import PermanentProviderError
from core.ids import new_id
from domain.analytics import COUNTERS, engagement_rate, engagements, reach_of
from domain.content import ALLOWED_FROM, ContentAction, ContentStatus
from domain.experiments import ExperimentStatus, check_experiment_transition, winner
from domain.publishing import PublicationStatus
from providers.social.base import PostNotFound, SocialPlatform
from store.db import transaction
from store.models import Publication, VideoComparison
from store.repositories.content import ContentRepository
from store.repositories.profiles import SocialAccountRepository
from store.repositories.publications import PublicationRepository
from store.repositories.video import VideoComparisonRepository
from store.types import utcnow


def _record(comparison: VideoComparison) -> ExperimentRecord:
    if comparison.experiment is None:
        raise gone(f"experiment of {comparison.id}")
    return ExperimentRecord.model_validate(comparison.experiment)


def _save(comparison: VideoComparison, record: ExperimentRecord) -> None:
    comparison.experiment = record.model_dump(mode="json")


def _replace(record: ExperimentRecord, trial: VariantTrial) -> ExperimentRecord:
    trials = [trial if t.variant_id == trial.variant_id else t for t in record.trials]
    return record.model_copy(update={"trials": trials})


class ExperimentActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        platforms: dict[str, SocialPlatform],
        cipher: TokenCipher,
    ) -> None:
        self.session_factory = session_factory
        self.platforms = platforms
        self.cipher = cipher

    async def _comparison(self, session: AsyncSession, account_id: str, comparison_id: str) -> VideoComparison:
        comparison = await VideoComparisonRepository(session).get_any(comparison_id)
        if comparison is None or comparison.account_id != account_id:
            raise gone(f"video comparison {comparison_id}")
        return comparison

    @activity.defn
    async def open_experiment_wave(self, input: WaveInput) -> WaveOpened:
        async with transaction(self.session_factory) as session:
            # The item first, locked: a publish started from the API meanwhile waits, then finds it publishing.
            item = await ContentRepository(session).get_for_update(input.content_id)
            if item is None:
                raise gone(f"content {input.content_id}")
            comparison = await self._comparison(session, input.account_id, input.comparison_id)
            record = _record(comparison)
            wave = [t for t in record.trials if t.wave == input.wave]
            publications = PublicationRepository(session)
            if all(t.publication_id for t in wave):  # opened by an earlier attempt of this step
                rows = await publications.for_ids([str(t.publication_id) for t in wave])
                return WaveOpened(round=rows[0].round, publication_ids=[p.id for p in rows])
            publishable = ALLOWED_FROM[ContentAction.PUBLISH]
            if item.status in (ContentStatus.SCHEDULED, ContentStatus.PUBLISHING) or item.status not in publishable:
                return WaveOpened(error=f"content {item.id} cannot be published while {item.status}")
            round = await publications.latest_round(item.id) + 1
            accounts = SocialAccountRepository(session)
            rows = []
            for trial in wave:
                account = await accounts.get(input.account_id, trial.social_account_id)
                if account is None:
                    return WaveOpened(error=f"connected account {trial.social_account_id} is gone")
                rows.append(
                    Publication(
                        id=new_id("pub"),
                        account_id=input.account_id,
                        content_id=item.id,
                        social_account_id=account.id,
                        platform=account.platform,
                        round=round,
                        status=PublicationStatus.PUBLISHING,
                        idempotency_key=post_idempotency_key(item.id, account.id, round),
                        workflow_id=publish_workflow_id(item.id),
                        video_variant_id=trial.variant_id,
                    )
                )
            await publications.add_all(rows)
            for trial, row in zip(wave, rows, strict=True):
                record = _replace(record, trial.model_copy(update={"publication_id": row.id}))
            _save(comparison, record)
            item.status = ContentStatus.PUBLISHING
            await ContentRepository(session).save(item)
            return WaveOpened(round=round, publication_ids=[row.id for row in rows])

    @activity.defn
    async def measure_experiment_wave(self, input: WaveInput) -> None:
        """Read each published variant's metrics now that its window is over."""
        async with transaction(self.session_factory) as session:
            record = _record(await self._comparison(session, input.account_id, input.comparison_id))
            ids = [str(t.publication_id) for t in record.trials if t.wave == input.wave and t.publication_id]
            rows = {p.id: p for p in await PublicationRepository(session).for_ids(ids)}
        measured: list[VariantTrial] = []
        for trial in (t for t in record.trials if t.wave == input.wave):
            publication = rows.get(str(trial.publication_id))
            if publication is None or publication.status != PublicationStatus.PUBLISHED:
                reason = publication.error_message if publication is not None else None
                measured.append(trial.model_copy(update={"error": f"not published: {reason or 'no post'}"}))
                continue
            measured.append(await self._measure(input.account_id, trial, publication))
        async with transaction(self.session_factory) as session:
            comparison = await self._comparison(session, input.account_id, input.comparison_id)
            record = _record(comparison)
            for trial in measured:
                record = _replace(record, trial)
            _save(comparison, record)

    async def _measure(self, account_id: str, trial: VariantTrial, publication: Publication) -> VariantTrial:
        base = trial.model_copy(
            update={"platform_post_id": publication.platform_post_id, "published_at": publication.published_at}
        )
        try:
            with provider_errors():
                platform, creds = await connected_credentials(
                    self.session_factory, self.cipher, self.platforms, account_id, publication.social_account_id
                )
            metrics = await platform.fetch_metrics(creds, str(publication.platform_post_id))
        except PostNotFound:
            return base.model_copy(update={"error": "the post was deleted on the platform"})
        except PermanentProviderError as exc:
            return base.model_copy(update={"error": exc.message})
        counters = metrics.model_dump(include=set(COUNTERS))
        return base.model_copy(
            update={
                "measured_at": utcnow(),
                "impressions": counters.get("impressions"),
                "views": counters.get("views"),
                "engagements": engagements(counters),
                "engagement_rate": engagement_rate(counters) if reach_of(counters) else None,
                "error": None,
            }
        )

    @activity.defn
    async def decide_experiment(self, input: DecideInput) -> ExperimentResult:
        async with transaction(self.session_factory) as session:
            comparison = await self._comparison(session, input.account_id, input.comparison_id)
            record = _record(comparison)
            if record.status != ExperimentStatus.RUNNING:  # decided by an earlier attempt of this step
                return ExperimentResult(
                    comparison_id=comparison.id, status=record.status, winner_variant_id=record.winner_variant_id
                )
            best = winner([(t.label, t.engagement_rate) for t in sorted(record.trials, key=lambda t: t.label)])
            trial = next((t for t in record.trials if t.label == best), None)
            variant = next((v for v in comparison.variants if trial and v.id == trial.variant_id), None)
            error = input.error or (None if variant and variant.video else "no variant could be measured")
            status = ExperimentStatus.FAILED if error else ExperimentStatus.DECIDED
            check_experiment_transition(record.status, status)
            update: dict[str, object] = {"status": status, "error": error, "decided_at": utcnow()}
            if status == ExperimentStatus.DECIDED and variant is not None and variant.video:
                content = ContentRepository(session)
                item = await content.get_for_update(comparison.content_id)
                if item is None:
                    raise gone(f"content {comparison.content_id}")
                await content.present_video(item, dict(variant.video))
                comparison.selected_variant_id = variant.id
                update["winner_variant_id"] = variant.id
            record = record.model_copy(update=update)
            _save(comparison, record)
            return ExperimentResult(
                comparison_id=comparison.id, status=record.status, winner_variant_id=record.winner_variant_id
            )
