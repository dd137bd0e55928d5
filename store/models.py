"""SQLAlchemy models. Every tenant-owned row carries ``account_id``; relationships raise on lazy load so a
missing eager load fails loudly instead of issuing hidden queries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.accounts import SocialAccountStatus
from domain.analytics import SyncOutcome
from domain.batches import BatchItemStatus, BatchStatus
from domain.campaigns import CampaignRunStatus, CampaignStatus
from domain.content import ContentStatus
from domain.imports import ImportStatus
from domain.jobs import JobStatus
from domain.publishing import PublicationStatus
from domain.video import ComparisonStatus, VariantStatus
from domain.voice import CloneStatus
from domain.webhooks import DeliveryStatus, WebhookStatus
from store.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Account(TimestampMixin, Base):
    """A tenant. Every resource belongs to exactly one."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    # After a rotation the previous secret keeps working until previous_expires_at, so clients can switch
    # without downtime; the key's id, scopes and account are unchanged.
    previous_prefix: Mapped[str | None] = mapped_column(String(20), default=None)
    previous_secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True, default=None)
    previous_expires_at: Mapped[datetime | None] = mapped_column(default=None)


class IdempotencyRecord(Base):
    """The first response to an ``Idempotency-Key``, replayed for repeats of the same request."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("api_key_id", "key", name="uq_idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    api_key_id: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(default=None)
    response_headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class Influencer(TimestampMixin, Base):
    __tablename__ = "influencers"
    __table_args__ = (Index("ix_influencers_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text, default="")
    personality: Mapped[str] = mapped_column(Text, default="")
    base_prompt: Mapped[str] = mapped_column(Text, default="")
    appearance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    aesthetic_grade: Mapped[str] = mapped_column(String(60), default="natural")
    ingredients: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)

    references: Mapped[list[ReferenceImage]] = relationship(
        back_populates="influencer", lazy="raise", cascade="all, delete-orphan", order_by="ReferenceImage.position"
    )


class ReferenceImage(Base):
    __tablename__ = "reference_images"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    influencer_id: Mapped[str] = mapped_column(ForeignKey("influencers.id", ondelete="CASCADE"), index=True)
    view: Mapped[str] = mapped_column(String(30))
    media_key: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))
    source_url: Mapped[str | None] = mapped_column(Text, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    influencer: Mapped[Influencer] = relationship(back_populates="references", lazy="raise")


class Profile(TimestampMixin, Base):
    __tablename__ = "profiles"
    __table_args__ = (Index("ix_profiles_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30))
    influencer_id: Mapped[str | None] = mapped_column(
        ForeignKey("influencers.id", ondelete="SET NULL"), default=None, index=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    content_directions: Mapped[list[Any]] = mapped_column(default=list)


class SocialAccount(TimestampMixin, Base):
    """A connected account on a social platform, optionally attached to a profile."""

    __tablename__ = "social_accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[str | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"), default=None, index=True
    )
    platform: Mapped[str] = mapped_column(String(30))
    handle: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    platform_user_id: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(30), default=SocialAccountStatus.ACTIVE.value)
    encrypted_tokens: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    token_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # Sandbox accounts only: failures the sandbox platform should inject, e.g. {"mode": "transient", "times": 2}.
    sandbox_faults: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Batch(TimestampMixin, Base):
    """One generation fan-out (content, reference pack or previews); the read model of its workflow."""

    __tablename__ = "batches"
    __table_args__ = (Index("ix_batches_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=BatchStatus.QUEUED.value)
    total: Mapped[int] = mapped_column(Integer)
    influencer_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    workflow_id: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[str | None] = mapped_column(String(100), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class BatchItem(Base):
    __tablename__ = "batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position", name="uq_batch_item_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=BatchItemStatus.PENDING.value)
    result_id: Mapped[str | None] = mapped_column(String(40), default=None)
    media_key: Mapped[str | None] = mapped_column(String(500), default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContentItem(TimestampMixin, Base):
    __tablename__ = "content_items"
    __table_args__ = (
        Index("ix_content_account_created", "account_id", "created_at"),
        Index("ix_content_account_status", "account_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    influencer_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    batch_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    source: Mapped[str] = mapped_column(String(20), default="generated")
    status: Mapped[str] = mapped_column(String(30), default=ContentStatus.GENERATING.value)
    caption: Mapped[str] = mapped_column(Text, default="")
    hashtags: Mapped[list[Any]] = mapped_column(default=list)
    media_key: Mapped[str | None] = mapped_column(String(500), default=None)
    media_type: Mapped[str] = mapped_column(String(60), default="image/png")
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    prompt: Mapped[str] = mapped_column(Text, default="")
    seed: Mapped[int] = mapped_column(Integer, default=0)
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    history: Mapped[list[Any]] = mapped_column(default=list)
    rejection_reason: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    rejected_at: Mapped[datetime | None] = mapped_column(default=None)
    # The item's video, when one was rendered or selected: a ``domain.video_records.VideoAsset``, stored
    # snake_case. Its image stays in ``media_key``; ``media_type`` says which one the item presents.
    video: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Collaboration items: the collaboration, and every member shown (``influencer_id`` is the first).
    # The list is the item's own record of who it shows, so it outlives a member's deletion.
    collaboration_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    member_ids: Mapped[list[Any]] = mapped_column(default=list)


class Collaboration(TimestampMixin, Base):
    """Content that shows two to four of the account's influencers together, made by one batch of kind
    ``collaboration``; its status and counts are its batch's."""

    __tablename__ = "collaborations"
    __table_args__ = (Index("ix_collaborations_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None)
    # Not a foreign key: the batch is looked up by id and a missing one reads as no counts.
    batch_id: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    members: Mapped[list[CollaborationMember]] = relationship(
        back_populates="collaboration", order_by="CollaborationMember.position", lazy="raise",
        cascade="all, delete-orphan",
    )  # fmt: skip


class CollaborationMember(Base):
    """A member as they were when the collaboration was made. ``influencer_id`` is no foreign key on
    purpose: deleting the influencer keeps the member (and its name), which then reads as deleted."""

    __tablename__ = "collaboration_members"
    __table_args__ = (UniqueConstraint("collaboration_id", "influencer_id", name="uq_collaboration_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collaboration_id: Mapped[str] = mapped_column(ForeignKey("collaborations.id", ondelete="CASCADE"), index=True)
    influencer_id: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)

    collaboration: Mapped[Collaboration] = relationship(back_populates="members", lazy="raise")


class VideoComparison(TimestampMixin, Base):
    """A/B video variants of one content item, rendered in parallel and selected from."""

    __tablename__ = "video_comparisons"
    __table_args__ = (Index("ix_video_comparisons_account_content", "account_id", "content_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[str] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(30), default=ComparisonStatus.QUEUED.value)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    workflow_id: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[str | None] = mapped_column(String(100), default=None)
    selected_variant_id: Mapped[str | None] = mapped_column(String(40), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # The A/B experiment run on it, if any (contracts.experiments.ExperimentRecord as JSON).
    experiment: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    variants: Mapped[list[VideoVariant]] = relationship(
        back_populates="comparison", order_by="VideoVariant.position", lazy="raise", cascade="all, delete-orphan"
    )


class VideoVariant(TimestampMixin, Base):
    __tablename__ = "video_variants"
    __table_args__ = (UniqueConstraint("comparison_id", "position", name="uq_video_variants_position"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    comparison_id: Mapped[str] = mapped_column(ForeignKey("video_comparisons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(2))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(30), default=VariantStatus.PENDING.value)
    video: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    comparison: Mapped[VideoComparison] = relationship(back_populates="variants", lazy="raise")


class Preview(Base):
    """A candidate look for an influencer, generated before the user commits to one."""

    __tablename__ = "previews"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    influencer_id: Mapped[str] = mapped_column(String(40), index=True)
    batch_id: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer)
    prompt: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(Integer)
    aesthetic_grade: Mapped[str] = mapped_column(String(60))
    media_key: Mapped[str] = mapped_column(String(500))
    adopted_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Job(TimestampMixin, Base):
    """A short generation (wardrobe, photo analysis, directions, regenerate, caption) that may outlive
    the request that started it; its result is polled here."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    subject_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    workflow_id: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class UsageRecord(Base):
    """One charge from the rate table. ``charge_key`` is derived from the workflow and item, so a retried
    activity cannot charge twice."""

    __tablename__ = "usage_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    charge_key: Mapped[str] = mapped_column(String(300), unique=True)
    action: Mapped[str] = mapped_column(String(60))
    units: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    subject_id: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Publication(TimestampMixin, Base):
    """One content item going to one connected account, in one publish round."""

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("content_id", "social_account_id", "round", name="uq_publication_round"),
        Index("ix_publications_content_round", "content_id", "round"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[str] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    social_account_id: Mapped[str] = mapped_column(String(40), index=True)
    platform: Mapped[str] = mapped_column(String(30))
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default=PublicationStatus.SCHEDULED.value)
    scheduled_at: Mapped[datetime | None] = mapped_column(default=None)
    caption: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str] = mapped_column(String(200))
    tracking_id: Mapped[str | None] = mapped_column(String(200), default=None)
    platform_post_id: Mapped[str | None] = mapped_column(String(200), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    create_attempted_at: Mapped[datetime | None] = mapped_column(default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    workflow_id: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when an A/B experiment publishes one video variant of the item instead of the item's own video.
    video_variant_id: Mapped[str | None] = mapped_column(String(40), default=None)


class OAuthState(Base):
    """A connect flow in progress: PKCE verifier (encrypted) and where to attach the account."""

    __tablename__ = "oauth_states"

    state: Mapped[str] = mapped_column(String(100), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    # The key that started the flow; only that key may finish it (the callback presents it as Bearer).
    api_key_id: Mapped[str] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE", name="fk_oauth_states_api_key_id_api_keys"), index=True
    )
    platform: Mapped[str] = mapped_column(String(30))
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None)
    redirect_uri: Mapped[str] = mapped_column(Text)
    encrypted_verifier: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SandboxPost(Base):
    """A post on the local sandbox platform, which stands in for a social network out of the box."""

    __tablename__ = "sandbox_posts"
    __table_args__ = (UniqueConstraint("platform_user_id", "idempotency_key", name="uq_sandbox_idempotency"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    platform_user_id: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    media_urls: Mapped[list[Any]] = mapped_column(default=list)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class ImportJob(TimestampMixin, Base):
    """One import of a connected account's history; the read model of its ``SocialImportWorkflow``. The
    ``cursor`` is the last page the workflow finished (informational: the workflow carries its own)."""

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    social_account_id: Mapped[str] = mapped_column(
        ForeignKey("social_accounts.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    platform: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.QUEUED.value)
    discovered: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime | None] = mapped_column(default=None)
    max_posts: Mapped[int] = mapped_column(Integer)
    include_media: Mapped[bool] = mapped_column(default=True)
    cursor: Mapped[str | None] = mapped_column(Text, default=None)
    # The latest post failures (platform post id, reason), capped so the row stays small.
    failures: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    workflow_id: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[str | None] = mapped_column(String(100), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class MediaLibraryItem(Base):
    """One imported post of a profile's history, with our stored copy of its media. Unique per connected
    account and platform post id, so importing the same history twice adds nothing."""

    __tablename__ = "media_library_items"
    __table_args__ = (
        UniqueConstraint("social_account_id", "platform_post_id", name="uq_media_library_post"),
        Index("ix_media_library_profile_posted", "profile_id", "posted_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None)
    social_account_id: Mapped[str] = mapped_column(ForeignKey("social_accounts.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(30))
    platform_post_id: Mapped[str] = mapped_column(String(200))
    post_url: Mapped[str | None] = mapped_column(Text, default=None)
    media_type: Mapped[str] = mapped_column(String(10))
    media_key: Mapped[str | None] = mapped_column(String(500), default=None)
    thumbnail_key: Mapped[str | None] = mapped_column(String(500), default=None)
    caption: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column()
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    import_job_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookEndpoint(TimestampMixin, Base):
    """A URL of the account's that receives signed events. The signing secret is stored encrypted (we must
    sign with it again); after a rotation the previous one keeps signing until ``previous_secret_expires_at``."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    events: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default=WebhookStatus.ENABLED.value)
    disabled_reason: Mapped[str | None] = mapped_column(Text, default=None)
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    encrypted_previous_secret: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the current run of failed attempts began; cleared by any success. Disabling reads it.
    failing_since: Mapped[datetime | None] = mapped_column(default=None)


class WebhookEvent(Base):
    """The events outbox: written in the same transaction as the outcome it reports, then dispatched (one
    delivery per subscribed endpoint). ``dispatched_at`` stays empty until every delivery workflow started."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_undispatched", "dispatched_at", "occurred_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookDelivery(TimestampMixin, Base):
    """One event going to one endpoint (a redelivery is a new row); the read model of its
    ``WebhookDeliveryWorkflow``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    redelivery_of: Mapped[str | None] = mapped_column(String(40), default=None)
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    workflow_id: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookAttempt(Base):
    """One POST of a delivery. Unique per delivery and number, so a retried activity records it once."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number", name="uq_webhook_attempt_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
class VoiceSample(Base):
    """One audio sample of a character's spoken voice: our stored copy and what decoding it measured."""

    __tablename__ = "voice_samples"
    __table_args__ = (Index("ix_voice_samples_influencer_created", "influencer_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    influencer_id: Mapped[str] = mapped_column(ForeignKey("influencers.id", ondelete="CASCADE"))
    storage_key: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(10))
    sample_rate: Mapped[int] = mapped_column(Integer)
    duration_seconds: Mapped[float] = mapped_column(Float)
    # The sample's own measures (median pitch, its range, loudness, voiced share), pooled for the profile.
    traits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoiceClone(Base):
    """A character's cloned voice: one row per character, moved by every change of samples. ``revision``
    counts those changes, so a superseded clone run cannot record its late result over a newer one."""

    __tablename__ = "voice_clones"

    influencer_id: Mapped[str] = mapped_column(ForeignKey("influencers.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(30), default=CloneStatus.NONE.value)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    provider: Mapped[str | None] = mapped_column(String(40), default=None)
    voice_id: Mapped[str | None] = mapped_column(String(200), default=None)
    fingerprint: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    workflow_id: Mapped[str | None] = mapped_column(String(200), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VoiceCorpusSample(Base):
    """One text of a profile's written voice. Unique per profile and ``source_ref`` (the library item or
    content item it came from, or the manual sample's own id), so syncing the corpus twice adds nothing;
    its embedding is computed once and stored with the model that made it."""

    __tablename__ = "voice_corpus_samples"
    __table_args__ = (
        UniqueConstraint("profile_id", "source_ref", name="uq_voice_corpus_source"),
        Index("ix_voice_corpus_profile_posted", "profile_id", "posted_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str] = mapped_column(String(60))
    platform: Mapped[str | None] = mapped_column(String(30), default=None)
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    embedding: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    embedding_model: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
class MetricSnapshot(Base):
    """A post's counters as one analytics sync run read them: one row per post per run, kept as history.
    Unique per post and run instant, so a retried sync step writes its row once."""

    __tablename__ = "metric_snapshots"
    __table_args__ = (
        UniqueConstraint("social_account_id", "platform_post_id", "collected_at", name="uq_metric_snapshot_run"),
        Index("ix_metric_snapshots_account_collected", "account_id", "collected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # No foreign key: history outlives a disconnected account, as publications do.
    social_account_id: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(30))
    platform_post_id: Mapped[str] = mapped_column(String(200))
    content_id: Mapped[str | None] = mapped_column(String(40), default=None)
    collected_at: Mapped[datetime] = mapped_column()
    impressions: Mapped[int | None] = mapped_column(Integer, default=None)
    views: Mapped[int | None] = mapped_column(Integer, default=None)
    likes: Mapped[int | None] = mapped_column(Integer, default=None)
    comments: Mapped[int | None] = mapped_column(Integer, default=None)
    shares: Mapped[int | None] = mapped_column(Integer, default=None)
    saves: Mapped[int | None] = mapped_column(Integer, default=None)


class PostMetrics(Base):
    """The latest snapshot of each post, with what the analytics filters need (profile, influencer,
    platform, publish time): the read model of the analytics endpoints, one row per post, so their cost
    follows the number of posts, not the number of snapshots. A sync replaces a row only with a newer
    reading."""

    __tablename__ = "post_metrics"
    __table_args__ = (
        UniqueConstraint("social_account_id", "platform_post_id", name="uq_post_metrics_post"),
        Index("ix_post_metrics_account_published", "account_id", "published_at"),
        Index("ix_post_metrics_account_content", "account_id", "content_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    social_account_id: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(30))
    platform_post_id: Mapped[str] = mapped_column(String(200))
    publication_id: Mapped[str | None] = mapped_column(String(40), default=None)
    content_id: Mapped[str | None] = mapped_column(String(40), default=None)
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None)
    influencer_id: Mapped[str | None] = mapped_column(String(40), default=None)
    published_at: Mapped[datetime] = mapped_column()
    collected_at: Mapped[datetime] = mapped_column()
    impressions: Mapped[int | None] = mapped_column(Integer, default=None)
    views: Mapped[int | None] = mapped_column(Integer, default=None)
    likes: Mapped[int | None] = mapped_column(Integer, default=None)
    comments: Mapped[int | None] = mapped_column(Integer, default=None)
    shares: Mapped[int | None] = mapped_column(Integer, default=None)
    saves: Mapped[int | None] = mapped_column(Integer, default=None)
    # Gone from the platform (deleted there): its last reading stays, and syncs stop asking for it.
    gone_at: Mapped[datetime | None] = mapped_column(default=None)


class AccountMetricSnapshot(Base):
    """One sync run of one connected account: its follower count, and how the run ended (a run that found
    the account needing reauth is recorded as skipped, which the analytics endpoints show)."""

    __tablename__ = "account_metric_snapshots"
    __table_args__ = (
        UniqueConstraint("social_account_id", "collected_at", name="uq_account_metric_snapshot_run"),
        Index("ix_account_metric_snapshots_account_collected", "account_id", "collected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    social_account_id: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(30))
    profile_id: Mapped[str | None] = mapped_column(String(40), default=None)
    collected_at: Mapped[datetime] = mapped_column()
    followers: Mapped[int | None] = mapped_column(Integer, default=None)
    outcome: Mapped[str] = mapped_column(String(30), default=SyncOutcome.SYNCED.value)
    posts_synced: Mapped[int] = mapped_column(Integer, default=0)
    posts_gone: Mapped[int] = mapped_column(Integer, default=0)
class Campaign(TimestampMixin, Base):
    """A recurring content campaign: its definition for the API. Its timing lives in its Temporal Schedule
    (``workflow_schedule_id``), built from ``weekly_slots`` in ``timezone``."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[str] = mapped_column(String(40), index=True)
    influencer_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.ACTIVE.value)
    # The schedule as the caller gave it (slots, cron or fromRoutines), and the weekly slots read from it.
    schedule: Mapped[dict[str, Any]] = mapped_column(default=dict)
    weekly_slots: Mapped[list[Any]] = mapped_column(default=list)
    timezone: Mapped[str] = mapped_column(String(64))
    social_account_ids: Mapped[list[Any]] = mapped_column(default=list)
    posts_per_slot: Mapped[int] = mapped_column(Integer, default=1)
    rotation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    review: Mapped[str] = mapped_column(String(20))
    lead_seconds: Mapped[int] = mapped_column(Integer, default=7200)
    start_at: Mapped[datetime | None] = mapped_column(default=None)
    end_at: Mapped[datetime | None] = mapped_column(default=None)
    workflow_schedule_id: Mapped[str] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_reason: Mapped[str | None] = mapped_column(Text, default=None)


class CampaignRun(Base):
    """One slot of a campaign: the batch it generated and what became of each item."""

    __tablename__ = "campaign_runs"
    __table_args__ = (UniqueConstraint("campaign_id", "slot_at", name="uq_campaign_run_slot"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    slot_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=CampaignRunStatus.RUNNING.value)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[str | None] = mapped_column(String(40), default=None)
    workflow_id: Mapped[str] = mapped_column(String(200))
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # One entry per generated item: {"content_id", "outcome", "reason", "round"} (snake_case, like ``video``).
    items: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
