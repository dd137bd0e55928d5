"""The one Settings object: every knob is an ``AUTOPERSONAS_*`` environment variable."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ProviderChoice = Literal["local", "openai", "replicate"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTOPERSONAS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="SQLite database, Temporal database, media")
    database_url: str | None = Field(default=None, description="SQLAlchemy async URL; SQLite in DATA_DIR if unset")
    media_dir: Path | None = Field(default=None, description="Local media storage; DATA_DIR/media if unset")
    public_base_url: str = Field(default="http://127.0.0.1:8000", description="Base of media URLs we hand out")

    api_url: str = Field(default="http://127.0.0.1:8000", description="Where the CLI's client commands find the API")
    api_key: SecretStr | None = Field(default=None, description="The key the CLI's client commands use")

    # Connection to Temporal goes through the SDK's environment configuration (profiles in
    # temporal.toml, TEMPORAL_* variables); these settings, where set, take precedence over it.
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_profile: str | None = Field(default=None, description="Profile of the Temporal config file to use")
    temporal_api_key: SecretStr | None = Field(default=None, description="API key (Temporal Cloud); implies TLS")
    temporal_tls: bool | None = Field(default=None, description="Force TLS on (true) or off (false)")
    temporal_tls_server_ca_cert_path: Path | None = None
    temporal_tls_client_cert_path: Path | None = None
    temporal_tls_client_key_path: Path | None = None
    temporal_tls_server_name: str | None = None
    task_queue: str = "autopersonas"
    worker_max_concurrent_activities: int = Field(default=50, ge=1, description="Activities one worker runs at once")
    worker_identity: str | None = Field(default=None, description="Worker identity in Temporal; pid@host if unset")

    rate_limit_per_minute: int = Field(default=60, ge=1)
    redis_url: str | None = None
    api_key_cache_seconds: float = Field(
        default=2.0, ge=0, description="How long an API process trusts a key it read (revocations made elsewhere)"
    )
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Largest JSON (or other non-multipart) request body, in bytes"
    )
    max_multipart_bytes: int = Field(
        default=10 * 10 * 1024 * 1024 + 1024 * 1024,
        ge=1,
        description="Largest multipart upload: files per request (10) x per-file cap (10 MiB) + 1 MiB of fields",
    )
    max_image_pixels: int = Field(
        default=40_000_000, ge=1, description="Largest image (width x height) accepted or decoded anywhere"
    )
    oauth_state_ttl_seconds: int = Field(
        default=600, ge=1, description="How long a started OAuth connection may wait for its callback"
    )
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text: one readable line per event (for a terminal); json: one JSON object per line with "
        "request, account, workflow and activity context (for a log pipeline)",
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve the worker's Prometheus metrics (Temporal SDK and product counters) on this port; "
        "off when unset, since several workers on one host would need a port each",
    )
    worker_metrics_host: str = Field(default="0.0.0.0", description="Address the worker's metrics port binds to")
    generation_step_timeout_seconds: int = Field(
        default=600, ge=1, description="Start-to-close timeout of each generation step (render, caption...)"
    )
    heartbeat_timeout_seconds: int = Field(
        default=10,
        ge=1,
        description="Heartbeat timeout of generation steps: how soon a dead worker's step is retried elsewhere",
    )
    shutdown_grace_seconds: float = Field(
        default=30.0,
        ge=0,
        description="On SIGTERM the worker stops polling and the API stops accepting, and running activities "
        "and requests get this long to finish",
    )
    sync_wait_seconds: float = Field(
        default=5.0, ge=0, description="How long short operations wait for their workflow before answering 202"
    )

    secret_key: SecretStr | None = Field(
        default=None, description="Fernet key that encrypts platform tokens at rest; generated into DATA_DIR if unset"
    )

    image_provider: ProviderChoice = "local"
    text_provider: ProviderChoice = "local"
    vision_provider: ProviderChoice = "local"
    openai_base_url: str = "https://api.openai.com/v1"
    openai_api_key: SecretStr | None = None
    openai_image_model: str = "gpt-image-1"
    openai_text_model: str = "gpt-4o-mini"
    openai_vision_model: str = "gpt-4o-mini"
    replicate_base_url: str = "https://api.replicate.com/v1"
    replicate_api_token: SecretStr | None = None
    replicate_image_model: str = "black-forest-labs/flux-schnell"
    provider_timeout_seconds: float = Field(default=60.0, gt=0)
    # Image calls in flight per worker process, per provider: the provider's pace, not ours. A batch keeps
    # twice as many items moving, so plan, caption and save steps never leave a render slot idle.
    local_image_processes: int | None = Field(
        default=None, ge=1, description="Processes drawing local images; the usable cores if unset"
    )
    replicate_image_concurrency: int = Field(default=16, ge=1, le=200)
    openai_image_concurrency: int = Field(default=8, ge=1, le=200)
    replicate_wait_seconds: int = Field(
        default=30, ge=0, le=60, description="Replicate sync mode (Prefer: wait); 0 polls from the start"
    )
    video_provider: ProviderChoice = "local"
    video_cache_dir: Path | None = Field(
        default=None, description="Local renderer's finished renders, by request key; DATA_DIR/video-renders if unset"
    )
    video_local_scale: float = Field(
        default=1.0, ge=0.05, le=1.0, description="Local renders at this fraction of the platform size (previews)"
    )
    replicate_video_model: str = "kwaivgi/kling-v2.1"
    openai_video_model: str = "sora-2"
    voice_provider: Literal["local", "elevenlabs"] = "local"
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    elevenlabs_api_key: SecretStr | None = None
    embeddings_provider: Literal["local", "openai"] = "local"
    openai_embeddings_model: str = "text-embedding-3-small"
    allow_private_urls: bool = Field(
        default=False,
        description="Let server-side fetches of caller URLs reach loopback and private addresses (development only)",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="One webhook POST's deadline (connect, send, answer); then retried"
    )

    sandbox_enabled: bool = Field(
        default=False,
        description="Serve the embedded sandbox social platform (on in `autopersonas dev`; keep off in production)",
    )
    sandbox_base_url: str | None = Field(
        default=None, description="Where the worker reaches the sandbox platform; PUBLIC_BASE_URL if unset"
    )
    x_client_id: str | None = None
    x_client_secret: SecretStr | None = None
    x_api_base_url: str = "https://api.x.com"
    x_authorize_url: str = "https://x.com/i/oauth2/authorize"
    x_token_url: str = "https://api.x.com/2/oauth2/token"
    tiktok_client_key: str | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_api_base_url: str = "https://open.tiktokapis.com"
    tiktok_authorize_url: str = "https://www.tiktok.com/v2/auth/authorize/"
    tiktok_token_url: str = "https://open.tiktokapis.com/v2/oauth/token/"
    # Media URLs under this prefix (verified in the TikTok developer portal) are pulled by TikTok
    # (PULL_FROM_URL); without it, or for other URLs, videos are uploaded in chunks (FILE_UPLOAD).
    tiktok_pull_url_prefix: str | None = None
    instagram_enabled: bool = Field(default=False, description="Instagram publishing (needs Meta app review)")
    instagram_import_enabled: bool = Field(default=False, description="Instagram import, pending Meta scopes")
    instagram_client_id: str | None = None
    instagram_client_secret: SecretStr | None = None
    instagram_api_base_url: str = "https://graph.instagram.com"
    instagram_authorize_url: str = "https://www.instagram.com/oauth/authorize"
    instagram_token_url: str = "https://api.instagram.com/oauth/access_token"
    publish_heartbeat_seconds: int = Field(
        default=60, ge=1, description="Heartbeat timeout of publishing steps: how soon a dead worker is noticed"
    )
    publish_poll_seconds: float = Field(default=5.0, gt=0, description="Pause between platform status checks")
    analytics_sync_minutes: int = Field(
        default=60, ge=1, description="How often each connected account's metrics are synced (its Schedule's interval)"
    )
    analytics_lookback_days: int = Field(
        default=30, ge=1, le=365, description="A sync reads the metrics of posts published in the last N days"
    )
    campaign_catchup_minutes: int = Field(
        default=90,
        ge=1,
        description="How late a campaign's Schedule still runs a slot it missed (Temporal down, worker gone); once",
    )

    storage_backend: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None
    s3_bucket: str = "autopersonas"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    media_presigned: bool = Field(
        default=False, description="/media answers S3-backed media with a redirect to a presigned URL"
    )
    media_presign_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600, description="Lifetime of those URLs")

    @property
    def worker_activity_slots(self) -> int:
        """Activities one worker runs at once: the operator's number when given, else room for a batch's
        window (twice the provider's image concurrency) beside everything else."""
        if "worker_max_concurrent_activities" in self.model_fields_set:
            return self.worker_max_concurrent_activities
        return max(self.worker_max_concurrent_activities, 2 * self.image_concurrency + 16)

    @property
    def image_concurrency(self) -> int:
        """Image calls one worker process runs at once with the configured provider."""
        if self.image_provider == "replicate":
            return self.replicate_image_concurrency
        if self.image_provider == "openai":
            return self.openai_image_concurrency
        if self.local_image_processes is not None:
            return self.local_image_processes
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'autopersonas.db').resolve()}"

    @property
    def resolved_video_cache_dir(self) -> Path:
        return (self.video_cache_dir or self.data_dir / "video-renders").resolve()

    @property
    def resolved_media_dir(self) -> Path:
        return (self.media_dir or self.data_dir / "media").resolve()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
