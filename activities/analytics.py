"""Analytics sync steps: look at the connected account, read one page of its recent posts' metrics, and
record the run with the account's followers.

Every write is keyed by the run's instant (``as_of``, the workflow's time at start), so a retried step
writes the same rows again rather than new ones. A post deleted on the platform is marked gone (its last
reading stays) and the run goes on; a rate limit is raised as a transient error carrying the platform's
reset time, so Temporal waits it out; an account that needs reauth ends the run as skipped."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.errors import as_application_error, provider_errors
from activities.heartbeat import heartbeating
from activities.social import connected_credentials, flag_reauth
from contracts.analytics import (
    AnalyticsSyncResult,
    BeginSyncInput,
    FinishSyncInput,
    SyncPageInput,
    SyncPageResult,
    SyncPlan,
)
from core.crypto import TokenCipher
from core.errors import PermanentProviderError, ProviderAuthError, ProviderError
from domain.accounts import SocialAccountStatus
from domain.analytics import COUNTERS, SyncOutcome
from providers.social.base import PostNotFound, SocialPlatform
from store.db import transaction
from store.models import AccountMetricSnapshot
from store.repositories.analytics import AnalyticsRepository, Reading, SyncedPost
from store.repositories.profiles import SocialAccountRepository

FOLLOWER_ATTEMPTS = 3


class AnalyticsActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        platforms: dict[str, SocialPlatform],
        cipher: TokenCipher,
    ) -> None:
        self.session_factory = session_factory
        self.platforms = platforms
        self.cipher = cipher

    @activity.defn
    async def begin_analytics_sync(self, input: BeginSyncInput) -> SyncPlan:
        async with transaction(self.session_factory) as session:
            account = await SocialAccountRepository(session).get(input.owner_account_id, input.social_account_id)
            if account is None:
                # Disconnected after the Schedule fired (its removal races the run): nothing to read.
                return SyncPlan(skip=SyncOutcome.SKIPPED_INACTIVE)
            if account.status == SocialAccountStatus.NEEDS_REAUTH:
                return SyncPlan(platform=account.platform, skip=SyncOutcome.SKIPPED_NEEDS_REAUTH)
            if account.status != SocialAccountStatus.ACTIVE:
                return SyncPlan(platform=account.platform, skip=SyncOutcome.SKIPPED_INACTIVE)
            return SyncPlan(platform=account.platform)

    @activity.defn
    @heartbeating
    async def sync_metrics_page(self, input: SyncPageInput) -> SyncPageResult:
        async with transaction(self.session_factory) as session:
            posts = await AnalyticsRepository(session).published_posts(
                input.social_account_id, input.since, input.after, input.limit
            )
        if not posts:
            return SyncPageResult()
        try:
            platform, creds = await connected_credentials(
                self.session_factory, self.cipher, self.platforms, input.owner_account_id, input.social_account_id
            )
        except ProviderAuthError:
            return SyncPageResult(needs_reauth=True)
        readings: list[Reading] = []
        gone: list[SyncedPost] = []
        failed = 0
        with provider_errors():
            for post in posts:
                try:
                    metrics = await platform.fetch_metrics(creds, post.platform_post_id, as_of=input.as_of)
                except PostNotFound:
                    gone.append(post)
                    continue
                except ProviderAuthError:
                    # The platform refused the token itself: the owner must reconnect, as a refused refresh says.
                    await flag_reauth(self.session_factory, input.owner_account_id, input.social_account_id)
                    return SyncPageResult(needs_reauth=True)
                except PermanentProviderError as exc:
                    # One post the platform refuses to describe must not stop the account's other posts.
                    activity.logger.warning("analytics.post_failed post=%s error=%s", post.platform_post_id, exc)
                    failed += 1
                    continue
                counters = metrics.model_dump(include=set(COUNTERS))
                readings.append(Reading(post=post, counters=counters))
        async with transaction(self.session_factory) as session:
            repo = AnalyticsRepository(session)
            account = await SocialAccountRepository(session).get(input.owner_account_id, input.social_account_id)
            platform_name = account.platform if account is not None else platform.name
            await repo.record_readings(
                input.owner_account_id, input.social_account_id, platform_name, input.as_of, readings
            )
            for post in gone:
                await repo.mark_gone(input.owner_account_id, input.social_account_id, platform_name, post, input.as_of)
        return SyncPageResult(
            synced=len(readings),
            gone=len(gone),
            failed=failed,
            next_after=posts[-1].publication_id if len(posts) == input.limit else None,
        )

    @activity.defn
    async def finish_analytics_sync(self, input: FinishSyncInput) -> AnalyticsSyncResult:
        """Read the followers (when the run synced) and record the run, with its outcome, once."""
        outcome = input.outcome
        followers: int | None = None
        if outcome == SyncOutcome.SYNCED:
            try:
                platform, creds = await connected_credentials(
                    self.session_factory, self.cipher, self.platforms, input.owner_account_id, input.social_account_id
                )
                followers = (await platform.fetch_account_metrics(creds, as_of=input.as_of)).followers
            except ProviderAuthError:
                outcome = SyncOutcome.SKIPPED_NEEDS_REAUTH
            except ProviderError as exc:
                # The posts are already recorded: after a few tries, record the run without its followers
                # rather than lose it.
                if exc.retryable and activity.info().attempt < FOLLOWER_ATTEMPTS:
                    raise as_application_error(exc) from exc
                activity.logger.warning("analytics.followers_failed account=%s error=%s", input.social_account_id, exc)
        async with transaction(self.session_factory) as session:
            account = await SocialAccountRepository(session).get(input.owner_account_id, input.social_account_id)
            if account is not None:
                await AnalyticsRepository(session).record_account_run(
                    AccountMetricSnapshot(
                        account_id=input.owner_account_id,
                        social_account_id=input.social_account_id,
                        platform=account.platform,
                        profile_id=account.profile_id,
                        collected_at=input.as_of,
                        followers=followers,
                        outcome=outcome,
                        posts_synced=input.posts_synced,
                        posts_gone=input.posts_gone,
                    )
                )
        return AnalyticsSyncResult(
            social_account_id=input.social_account_id,
            as_of=input.as_of,
            outcome=outcome,
            posts_synced=input.posts_synced,
            posts_gone=input.posts_gone,
            followers=followers,
        )
