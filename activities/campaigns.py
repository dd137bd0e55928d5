"""Campaign runs' side effects: open a run for its slot (and its batch row), record what the batch made
(approving it in ``auto`` review), hand approved items to the publishing workflow at the slot, and close the
run. ``finish_run`` is the one place a run completes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from activities.campaign_publications import record_publications
from activities.errors import gone
from activities.webhook_dispatch import dispatch_recorded
from contracts.campaigns import (
    BeginRunInput,
    CampaignRunResult,
    FinishRunInput,
    HandOff,
    RunPlan,
    RunRef,
    campaign_schedule_id,
)
from contracts.generation import BatchInput, GenerationOptions, batch_workflow_id
from contracts.publishing import PublishInput
from core.ids import new_id
from core.settings import Settings
from domain.accounts import SocialAccountStatus
from domain.batches import BatchKind, BatchStatus
from domain.campaign_slots import WeeklySlot, load_timezone, slot_for_fire
from domain.campaigns import CampaignRunStatus, CampaignStatus, ReviewMode, RunItemOutcome, can_outcome_transition
from domain.content import ContentStatus
from domain.webhooks import EventType
from store.db import transaction
from store.models import Batch, Campaign, CampaignRun
from store.repositories.batches import BatchRepository
from store.repositories.campaigns import CampaignRepository, CampaignRunRepository
from store.repositories.content import ContentRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository
from store.repositories.webhooks import record_event
from store.types import utcnow


def rotation_options(campaign: Campaign, sequence: int) -> GenerationOptions:
    """The run's generation options: each list the campaign rotates through, taken at the run's position."""

    def pick(name: str) -> str | None:
        values = list(campaign.rotation.get(name) or [])
        return str(values[sequence % len(values)]) if values else None

    return GenerationOptions.model_validate(
        {
            "mood": pick("moods"),
            "setting": pick("settings"),
            "time_of_day": pick("times_of_day"),
            "content_direction_id": pick("content_direction_ids"),
        }
    )


class CampaignActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], client: Client, settings: Settings) -> None:
        self.session_factory = session_factory
        self.client = client
        self.settings = settings

    @activity.defn
    async def begin_run(self, input: BeginRunInput) -> RunPlan:
        """Open the run of the slot this action is for, with its batch row; idempotent per slot."""
        ended = False
        async with transaction(self.session_factory) as session:
            campaigns = CampaignRepository(session)
            campaign = await campaigns.get_any(input.campaign_id)
            if campaign is None or campaign.account_id != input.account_id:
                ended = True
                plan = RunPlan(skipped="the campaign no longer exists")
            else:
                gone = await self._owner_gone(session, campaign)
                if gone and campaign.status != CampaignStatus.ENDED:
                    await campaigns.end(campaign, gone)
                if campaign.status == CampaignStatus.ENDED:
                    ended = True
                    plan = RunPlan(skipped=f"the campaign has ended: {campaign.ended_reason or 'ended'}")
                else:
                    plan = await self._open_run(session, campaign, input)
        if ended:
            # An ended campaign's Schedule has nothing left to do (its deletion may have failed or been left to
            # this run, when the profile or influencer was deleted).
            await self._delete_schedule(campaign_schedule_id(input.campaign_id))
        activity.logger.info(
            "campaign.run_begun campaign=%s run=%s skipped=%s", input.campaign_id, plan.run_id, plan.skipped
        )
        return plan

    async def _owner_gone(self, session: AsyncSession, campaign: Campaign) -> str | None:
        if await ProfileRepository(session).get(campaign.account_id, campaign.profile_id) is None:
            return "its profile was deleted"
        if campaign.influencer_id:
            influencer = await InfluencerRepository(session).get(campaign.account_id, campaign.influencer_id)
            if influencer is None:
                return "its influencer was deleted"
        return None

    async def _open_run(self, session: AsyncSession, campaign: Campaign, input: BeginRunInput) -> RunPlan:
        slots = [WeeklySlot(int(d), int(m)) for d, m in campaign.weekly_slots]
        lead = timedelta(seconds=campaign.lead_seconds)
        slot_at = input.slot_at or slot_for_fire(slots, load_timezone(campaign.timezone), input.fired_at, lead)
        runs = CampaignRunRepository(session)
        existing = await runs.for_slot(campaign.id, slot_at)
        if existing is not None:
            if existing.workflow_id == input.workflow_id:
                return RunPlan.model_validate(existing.plan)
            return RunPlan(skipped=f"the slot {slot_at.isoformat()} already ran as {existing.id}", slot_at=slot_at)
        if campaign.end_at is not None and slot_at > campaign.end_at:
            return RunPlan(skipped="the slot is after the campaign's endAt", slot_at=slot_at)
        sequence = await runs.count(campaign.id)
        batch_id = new_id("bat")
        options = rotation_options(campaign, sequence)
        await BatchRepository(session).add(
            Batch(
                id=batch_id,
                account_id=campaign.account_id,
                kind=BatchKind.CONTENT,
                status=BatchStatus.QUEUED,
                total=campaign.posts_per_slot,
                influencer_id=campaign.influencer_id,
                profile_id=campaign.profile_id,
                params=options.model_dump(mode="json", exclude_none=True),
                workflow_id=batch_workflow_id(batch_id),
            )
        )
        run_id = new_id("crun")
        plan = RunPlan(
            run_id=run_id,
            slot_at=slot_at,
            review=ReviewMode(campaign.review),
            batch=BatchInput(
                batch_id=batch_id,
                account_id=campaign.account_id,
                kind=BatchKind.CONTENT,
                count=campaign.posts_per_slot,
                influencer_id=campaign.influencer_id or "",
                profile_id=campaign.profile_id,
                options=options,
                step_timeout_seconds=self.settings.generation_step_timeout_seconds,
                heartbeat_timeout_seconds=self.settings.heartbeat_timeout_seconds,
            ),
        )
        await runs.add(
            CampaignRun(
                id=run_id,
                account_id=campaign.account_id,
                campaign_id=campaign.id,
                slot_at=slot_at,
                status=CampaignRunStatus.RUNNING,
                sequence=sequence,
                batch_id=batch_id,
                workflow_id=input.workflow_id,
                plan=plan.model_dump(mode="json"),
            )
        )
        return plan

    @activity.defn
    async def record_batch(self, ref: RunRef) -> None:
        """Note the items the batch made; in ``auto`` review approve them (no person in the loop)."""
        async with transaction(self.session_factory) as session:
            run = await self._run(session, ref)
            plan = RunPlan.model_validate(run.plan)
            batch_items = await BatchRepository(session).items(run.batch_id) if run.batch_id else []
            contents = ContentRepository(session)
            entries = []
            for batch_item in batch_items:
                if batch_item.result_id is None:
                    entries.append(
                        {
                            "content_id": None,
                            "outcome": RunItemOutcome.FAILED,
                            "reason": batch_item.error or "generation failed",
                        }
                    )
                    continue
                item = await contents.get_for_update(batch_item.result_id)
                if item is not None and plan.review == ReviewMode.AUTO and item.status == ContentStatus.PENDING_REVIEW:
                    item.status = ContentStatus.APPROVED
                    item.approved_at = utcnow()
                    await contents.save(item)
                entries.append(
                    {"content_id": batch_item.result_id, "outcome": RunItemOutcome.AWAITING_REVIEW, "reason": None}
                )
            # Re-recorded whole on a retry: the batch's rows are final by now.
            run.items = [{**e, "outcome": str(e["outcome"])} for e in entries]

    @activity.defn
    async def hand_off(self, ref: RunRef) -> HandOff:
        """At hand-off time an approved item gets publication rows at the slot and goes to the publishing
        workflow; an item not approved by now is skipped. A retry returns what the first attempt recorded."""
        async with transaction(self.session_factory) as session:
            run = await self._run(session, ref)
            campaign = await CampaignRepository(session).get_any(run.campaign_id)
            accounts = []
            if campaign is not None:
                found = await CampaignRepository(session).social_accounts(run.account_id, campaign.social_account_ids)
                accounts = [a for a in found if a.status == SocialAccountStatus.ACTIVE]
            publishes: list[PublishInput] = []
            entries = []
            for entry in run.items:
                entry = dict(entry)
                if entry["content_id"] is not None and entry["outcome"] == RunItemOutcome.AWAITING_REVIEW:
                    publish, outcome, reason = await record_publications(
                        session, entry["content_id"], accounts, run.slot_at
                    )
                    entry.update(
                        outcome=outcome,
                        reason=reason,
                        round=publish.round if publish else None,
                        publication_ids=publish.publication_ids if publish else [],
                    )
                if entry["outcome"] == RunItemOutcome.SCHEDULED and entry.get("round"):
                    publishes.append(
                        PublishInput(
                            account_id=run.account_id,
                            content_id=entry["content_id"],
                            round=entry["round"],
                            publication_ids=entry["publication_ids"],
                            scheduled_at=run.slot_at,
                            heartbeat_seconds=self.settings.publish_heartbeat_seconds,
                        )
                    )
                entries.append(entry)
            run.items = entries
        return HandOff(publishes=publishes)

    @activity.defn
    async def finish_run(self, input: FinishRunInput) -> CampaignRunResult:
        """The one place a run completes (where a ``campaign.run.completed`` event belongs)."""
        async with transaction(self.session_factory) as session:
            run = await self._run(session, RunRef(run_id=input.run_id))
            failed_starts = {f.content_id: f.message for f in input.start_failures}
            entries = []
            for entry in run.items:
                entry = dict(entry)
                if entry["content_id"] in failed_starts and can_outcome_transition(
                    entry["outcome"], RunItemOutcome.FAILED
                ):
                    entry.update(outcome=RunItemOutcome.FAILED.value, reason=failed_starts[entry["content_id"]])
                entries.append(entry)
            run.items = entries
            run.status = CampaignRunStatus.FAILED if input.error else CampaignRunStatus.COMPLETED
            run.error = input.error
            run.finished_at = utcnow()
            outcomes = {e["content_id"]: RunItemOutcome(e["outcome"]) for e in entries if e["content_id"]}
            slot_at = run.slot_at
            # Recorded with the outcome; keyed by the run, so a retried call keeps one event.
            event = await record_event(
                session, run.account_id, EventType.CAMPAIGN_RUN_COMPLETED,
                {"id": run.id, "campaignId": run.campaign_id, "slotAt": slot_at.isoformat(), "status": run.status,
                 "batchId": run.batch_id, "error": run.error,
                 "items": [{"contentId": e["content_id"], "outcome": e["outcome"], "reason": e.get("reason")}
                           for e in entries]},
                key=run.id,
            )  # fmt: skip
        await dispatch_recorded(self.session_factory, [event.id])
        activity.logger.info("campaign.run_completed run=%s outcomes=%s", input.run_id, outcomes)
        return CampaignRunResult(run_id=input.run_id, slot_at=slot_at, outcomes=outcomes)

    async def _run(self, session: AsyncSession, ref: RunRef) -> CampaignRun:
        run = await CampaignRunRepository(session).get(ref.run_id)
        if run is None:
            raise gone(f"campaign run {ref.run_id}")
        return run

    async def _delete_schedule(self, schedule_id: str) -> None:
        try:
            await self.client.get_schedule_handle(schedule_id).delete()
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
