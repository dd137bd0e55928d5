"""The one interface every social platform implements: X, TikTok, Instagram and the local sandbox.

Publishing is split into small steps so an activity can heartbeat between them and never repeats
the one step that is not idempotent (``create_post``) without first asking ``find_post``:

    upload_media -> poll_media until ready -> create_post -> poll_post until published

Adapters never sleep: every status object carries ``check_after`` (seconds) and the caller waits.
Adapters raise only the typed errors of ``core.errors`` (plus ``UnsupportedOperation``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field, field_validator, model_validator

from core.errors import PermanentProviderError
from domain.publishing import MediaStatus, PostStatus


class UnsupportedOperation(PermanentProviderError):
    """The platform's API cannot do this at all (e.g. deleting a TikTok video); retrying cannot help."""

    type_name = "UnsupportedOperation"


class PostNotFound(PermanentProviderError):
    """The post is gone from the platform (deleted there, or never visible to this account): its metrics
    will not come back, so a sync records it and moves on instead of retrying."""

    type_name = "PostNotFound"


class AccountCredentials(BaseModel):
    """A connected account's tokens, as stored (encrypted) by the store layer."""

    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    platform_user_id: str
    extra: dict[str, Any] = Field(default_factory=dict)


class TokenSet(BaseModel):
    """What an OAuth exchange or refresh returns; the caller stores it as new ``AccountCredentials``."""

    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: list[str] = Field(default_factory=list)
    platform_user_id: str | None = None
    username: str | None = None

    def to_credentials(self, previous: AccountCredentials | None = None) -> AccountCredentials:
        """Merge into stored credentials; platforms that do not rotate refresh tokens keep the old one."""
        user_id = self.platform_user_id or (previous.platform_user_id if previous else None)
        if user_id is None:
            raise PermanentProviderError("token response did not identify the platform user")
        extra = dict(previous.extra) if previous else {}
        if self.username:
            extra["username"] = self.username
        return AccountCredentials(
            access_token=self.access_token,
            refresh_token=self.refresh_token or (previous.refresh_token if previous else None),
            expires_at=self.expires_at,
            platform_user_id=user_id,
            extra=extra,
        )


class MediaInput(BaseModel):
    """One media file of a post. ``url`` is public (platforms that pull media fetch it themselves);
    ``data`` is given when the caller already holds the bytes, so push-style uploads skip a download."""

    url: str
    content_type: str
    data: bytes | None = None
    size: int | None = None
    # Length of a video, where known: platforms cap it (TikTok per creator) and refusing early beats a
    # post that fails in processing.
    duration_seconds: float | None = None

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PostRequest(BaseModel):
    """One post to one account. ``idempotency_key`` is deterministic per content item and target:
    adapters pass it where a platform accepts one and otherwise log it; duplicates are prevented by
    ``find_post`` before any retried ``create_post``. ``options`` holds platform-specific settings
    (e.g. TikTok ``privacy_level``)."""

    text: str
    media: list[MediaInput] = Field(default_factory=list)
    idempotency_key: str = Field(min_length=1)
    options: dict[str, str | int | bool] = Field(default_factory=dict)


class UploadedMedia(BaseModel):
    """A media item as the platform knows it; ``platform_media_id`` is None where the platform takes
    the media inside the post call itself (TikTok). Small enough to return to a workflow: the bytes
    are dropped here and stay with the caller's ``PostRequest``."""

    media: MediaInput
    platform_media_id: str | None = None
    status: MediaStatus = MediaStatus.READY
    check_after: float | None = None
    error: str | None = None

    @field_validator("media")
    @classmethod
    def _without_bytes(cls, media: MediaInput) -> MediaInput:
        if media.data is None:
            return media
        return media.model_copy(update={"data": None, "size": media.size or len(media.data)})


class PublishedPost(BaseModel):
    """The outcome of ``create_post``/``poll_post``. ``tracking_id`` is what ``poll_post`` needs (TikTok's
    publish_id, otherwise the post id); ``platform_post_id`` may stay None while a platform moderates."""

    tracking_id: str
    status: PostStatus
    platform_post_id: str | None = None
    url: str | None = None
    error: str | None = None
    check_after: float | None = None


class PostMetrics(BaseModel):
    """Counters as the platform reports them; None means the platform does not report that counter."""

    platform_post_id: str
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    impressions: int | None = None
    saves: int | None = None
    reach: int | None = None
    collected_at: datetime


class AccountMetrics(BaseModel):
    """Account-level counters; None where the platform does not report them."""

    followers: int | None = None
    collected_at: datetime


ImportedMediaType = Literal["image", "video"]
ImportedPostMediaType = Literal["image", "video", "text"]


class ImportedMedia(BaseModel):
    """One media item of a post as the platform serves it. ``url`` is what an importer downloads (for a
    TikTok video, which the API gives no download URL for, the cover image; see ``providers.social.tiktok``);
    ``thumbnail_url`` is the platform's preview of a video, where it gives one."""

    url: str
    media_type: ImportedMediaType
    thumbnail_url: str | None = None


class ImportedPost(BaseModel):
    """A post read back from an account's history: by ``find_post`` to reconcile, and by import.

    ``media_urls`` has one entry per attachment, even one the platform gives no URL for, so media counts
    stay comparable when reconciling; ``media`` holds the downloadable items with their type. When only
    ``media`` is given, ``media_urls`` is derived from it."""

    platform_post_id: str
    url: str | None = None
    text: str = ""
    media_urls: list[str] = Field(default_factory=list)
    media: list[ImportedMedia] = Field(default_factory=list)
    created_at: datetime
    metrics: PostMetrics | None = None

    @model_validator(mode="after")
    def _derive_media_urls(self) -> ImportedPost:
        if not self.media_urls and self.media:
            self.media_urls = [item.url for item in self.media]
        return self

    @property
    def media_type(self) -> ImportedPostMediaType:
        """What the post is, as the media library files it: a video if it has one, text if it has no media."""
        if any(item.media_type == "video" for item in self.media):
            return "video"
        return "image" if self.media else "text"


class PostPage(BaseModel):
    posts: list[ImportedPost]
    next_cursor: str | None = None


@runtime_checkable
class SocialPlatform(Protocol):
    """Every method takes the account's credentials; none of them stores anything of ours."""

    name: str

    async def upload_media(
        self, creds: AccountCredentials, request: PostRequest, media: MediaInput
    ) -> UploadedMedia:
        """Send one media item (the request gives context such as an Instagram caption)."""
        ...

    async def poll_media(self, creds: AccountCredentials, media: UploadedMedia) -> UploadedMedia:
        """One processing-status check of an uploaded media item."""
        ...

    async def create_post(
        self, creds: AccountCredentials, request: PostRequest, media: list[UploadedMedia]
    ) -> PublishedPost:
        """The one non-idempotent step: publish. Call ``find_post`` before retrying it."""
        ...

    async def poll_post(self, creds: AccountCredentials, post: PublishedPost) -> PublishedPost:
        """One status check of a post that is still processing; the caller loops with heartbeats."""
        ...

    async def delete_post(self, creds: AccountCredentials, platform_post_id: str) -> None: ...

    async def find_post(
        self, creds: AccountCredentials, request: PostRequest, since: datetime
    ) -> PublishedPost | None:
        """Reconcile before retry: a post created after ``since`` that matches the request, if any."""
        ...

    async def fetch_metrics(
        self, creds: AccountCredentials, platform_post_id: str, as_of: datetime | None = None
    ) -> PostMetrics:
        """A post's counters now. ``as_of`` names the instant a sync run stands for: real platforms only
        report the present and ignore it; the sandbox computes its counters at that instant, so scheduled
        runs on a time-skipping server read the engagement of their own time. ``PostNotFound`` when the
        post is gone from the platform."""
        ...

    async def fetch_account_metrics(
        self, creds: AccountCredentials, as_of: datetime | None = None
    ) -> AccountMetrics:
        """The account's follower count (``as_of`` as for ``fetch_metrics``)."""
        ...

    async def list_posts(
        self,
        creds: AccountCredentials,
        cursor: str | None = None,
        limit: int = 20,
        since: datetime | None = None,
    ) -> PostPage:
        """One page of the account's posts, newest first, with their media. ``limit`` is clamped to the
        platform's page-size bounds; ``since`` keeps only posts created at or after it (server-side where
        the platform can filter, otherwise here, ending the pages once older posts appear);
        ``next_cursor`` is None on the last page."""
        ...

    async def refresh_token(self, creds: AccountCredentials) -> TokenSet: ...

    def code_challenge(self, code_verifier: str) -> str:
        """The PKCE challenge in the encoding this platform expects (TikTok differs from RFC 7636)."""
        ...

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str: ...

    async def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenSet: ...

    async def aclose(self) -> None: ...
