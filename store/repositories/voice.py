"""Voice rows: a character's audio samples and its clone, and a profile's written-voice corpus.

Sample changes of one character are serialised on the influencer's row lock, so two uploads at once each
bump the clone's revision in turn and the later one's workflow is the one that stays. The corpus is synced
from its sources (imported posts, approved and published captions) by ``source_ref``, so a sync run twice
adds nothing, and a caption whose text changed loses its stored embedding, to be embedded again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select

from core.ids import new_id
from domain.content import ContentStatus
from domain.voice import CloneStatus, CorpusSource, check_clone_transition
from store.locking import lock_row
from store.models import (
    ContentItem,
    Influencer,
    MediaLibraryItem,
    Profile,
    VoiceClone,
    VoiceCorpusSample,
    VoiceSample,
)
from store.repositories.base import OwnedRepository, Repository
from store.types import utcnow

# Content statuses whose caption the profile stands behind: approved (or on its way out) and published.
_APPROVED = (ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHING, ContentStatus.PUBLISH_FAILED)


class VoiceSampleRepository(OwnedRepository[VoiceSample]):
    model = VoiceSample
    noun = "voice sample"

    async def for_character(self, account_id: str, influencer_id: str) -> Sequence[VoiceSample]:
        query = self.owned(account_id).where(VoiceSample.influencer_id == influencer_id)
        return (await self.session.scalars(query.order_by(VoiceSample.created_at, VoiceSample.id))).all()

    async def for_character_any(self, influencer_id: str) -> Sequence[VoiceSample]:
        query = select(VoiceSample).where(VoiceSample.influencer_id == influencer_id)
        return (await self.session.scalars(query.order_by(VoiceSample.created_at, VoiceSample.id))).all()

    async def remove(self, sample: VoiceSample) -> None:
        await self.session.delete(sample)
        await self.session.flush()


class VoiceCloneRepository(Repository):
    async def get(self, influencer_id: str) -> VoiceClone | None:
        return await self.session.get(VoiceClone, influencer_id, populate_existing=True)

    async def lock_character(self, influencer_id: str) -> None:
        """Serialise sample changes of one character until the transaction ends."""
        await lock_row(self.session, Influencer, influencer_id)

    async def samples_changed(self, account_id: str, influencer_id: str, status: CloneStatus) -> VoiceClone:
        """The clone after a change of samples: a new revision in ``status`` (cloning, insufficient or none),
        keeping the voice id so the clone run can delete the superseded voice."""
        clone = await self.get(influencer_id)
        if clone is None:
            clone = VoiceClone(influencer_id=influencer_id, account_id=account_id, status=CloneStatus.NONE, revision=0)
            self.session.add(clone)
        check_clone_transition(clone.status, status)
        clone.status = status
        clone.revision = (clone.revision or 0) + 1
        clone.error = None
        clone.updated_at = utcnow()
        await self.session.flush()
        return clone

    async def settle(self, clone: VoiceClone, status: CloneStatus, **fields: Any) -> VoiceClone:
        check_clone_transition(clone.status, status)
        clone.status = status
        for name, value in fields.items():
            setattr(clone, name, value)
        clone.updated_at = utcnow()
        await self.session.flush()
        return clone


class VoiceCorpusRepository(OwnedRepository[VoiceCorpusSample]):
    model = VoiceCorpusSample
    noun = "voice sample"

    async def add_manual(self, account_id: str, profile_id: str, texts: Sequence[str]) -> list[VoiceCorpusSample]:
        rows = []
        for text in texts:
            sample_id = new_id("vcs")
            rows.append(
                VoiceCorpusSample(
                    id=sample_id, account_id=account_id, profile_id=profile_id, source=CorpusSource.MANUAL,
                    source_ref=sample_id, text=text, posted_at=utcnow(),
                )
            )  # fmt: skip
        self.session.add_all(rows)
        await self.session.flush()
        return rows

    async def sync(self, account_id: str, profile_id: str) -> int:
        """Bring the profile's imported posts and approved/published captions into the corpus; return how
        many rows were added or changed. Two caption steps of one batch sync the same profile at once: the
        profile's row lock makes the second read what the first wrote instead of inserting it again."""
        if await lock_row(self.session, Profile, profile_id) is None:
            return 0  # the profile was deleted under a running batch: nothing to ground captions on
        existing = {
            row.source_ref: row
            for row in (
                await self.session.scalars(
                    select(VoiceCorpusSample).where(
                        VoiceCorpusSample.profile_id == profile_id, VoiceCorpusSample.source != CorpusSource.MANUAL
                    )
                )
            ).all()
        }
        wanted: dict[str, tuple[str, str, str | None, Any]] = {}
        library = await self.session.execute(
            select(MediaLibraryItem.id, MediaLibraryItem.caption, MediaLibraryItem.platform, MediaLibraryItem.posted_at)
            .where(MediaLibraryItem.account_id == account_id, MediaLibraryItem.profile_id == profile_id)
        )  # fmt: skip
        for item_id, caption, platform, posted_at in library.all():
            if caption and caption.strip():
                wanted[item_id] = (CorpusSource.IMPORTED, caption.strip(), platform, posted_at)
        content = await self.session.execute(
            select(ContentItem.id, ContentItem.caption, ContentItem.hashtags, ContentItem.status,
                   ContentItem.approved_at, ContentItem.updated_at)
            .where(ContentItem.account_id == account_id, ContentItem.profile_id == profile_id,
                   ContentItem.status.in_([*_APPROVED, ContentStatus.PUBLISHED]))
        )  # fmt: skip
        for content_id, caption, hashtags, status, approved_at, updated_at in content.all():
            text = " ".join([caption.strip(), *[t for t in hashtags or [] if t not in caption]]).strip()
            if text:
                kind = CorpusSource.PUBLISHED if status == ContentStatus.PUBLISHED else CorpusSource.APPROVED
                wanted[content_id] = (kind, text, None, approved_at or updated_at)
        changed = 0
        for ref, (source, body, where, posted_at) in wanted.items():
            row = existing.pop(ref, None)
            if row is None:
                self.session.add(
                    VoiceCorpusSample(
                        id=new_id("vcs"), account_id=account_id, profile_id=profile_id, source=source,
                        source_ref=ref, text=body, platform=where, posted_at=posted_at,
                    )
                )  # fmt: skip
                changed += 1
            elif row.text != body or row.source != source:
                row.source, row.text, row.embedding, row.embedding_model = source, body, None, None
                changed += 1
        if existing:  # captions no longer approved or published, and imported posts since removed
            gone = [row.id for row in existing.values()]
            await self.session.execute(delete(VoiceCorpusSample).where(VoiceCorpusSample.id.in_(gone)))
            changed += len(existing)
        await self.session.flush()
        return changed

    async def for_profile(self, account_id: str, profile_id: str) -> Sequence[VoiceCorpusSample]:
        query = self.owned(account_id).where(VoiceCorpusSample.profile_id == profile_id)
        query = query.order_by(VoiceCorpusSample.posted_at.desc(), VoiceCorpusSample.id)
        return (await self.session.scalars(query)).all()

    async def counts(self, account_id: str, profile_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            select(VoiceCorpusSample.source, func.count())
            .where(VoiceCorpusSample.account_id == account_id, VoiceCorpusSample.profile_id == profile_id)
            .group_by(VoiceCorpusSample.source)
        )
        return {str(source): int(count) for source, count in rows.all()}
