"""Build the configured provider of each kind from ``Settings``. Called once by the worker and the API;
a missing credential fails here, at start-up, not on the first job. Adapters are imported on demand, so a
deployment only loads the providers it uses."""

from __future__ import annotations

from pydantic import SecretStr

from core.settings import Settings
from providers.images.base import ImageProvider
from providers.openai_compat import OpenAICompatClient
from providers.storage.base import MediaStorage
from providers.text.base import TextProvider
from providers.video.base import VideoProvider
from providers.vision.base import VisionProvider


def _require(secret: SecretStr | None, variable: str, purpose: str) -> str:
    value = secret.get_secret_value() if secret is not None else ""
    if not value:
        raise ValueError(f"{purpose} needs AUTOPERSONAS_{variable} to be set")
    return value


def _openai_client(settings: Settings, purpose: str) -> OpenAICompatClient:
    return OpenAICompatClient(
        base_url=settings.openai_base_url,
        api_key=_require(settings.openai_api_key, "OPENAI_API_KEY", purpose),
        timeout=settings.provider_timeout_seconds,
    )


def build_image_provider(settings: Settings) -> ImageProvider:
    """Remote providers paced (their concurrency, their 429s); local drawing in a pool of processes."""
    if settings.image_provider == "openai":
        from providers.images.openai import OpenAIImageProvider
        from providers.images.paced import PacedImageProvider

        client = _openai_client(settings, "image_provider=openai")
        return PacedImageProvider(
            OpenAIImageProvider(client, model=settings.openai_image_model), settings.openai_image_concurrency
        )
    if settings.image_provider == "replicate":
        from providers.images.paced import PacedImageProvider
        from providers.images.replicate import ReplicateImageProvider

        # Sync mode must stay under the HTTP timeout, or the create call would time out mid-wait.
        wait = min(settings.replicate_wait_seconds, int(settings.provider_timeout_seconds) - 1)
        replicate = ReplicateImageProvider(
            base_url=settings.replicate_base_url,
            api_token=_require(settings.replicate_api_token, "REPLICATE_API_TOKEN", "image_provider=replicate"),
            model=settings.replicate_image_model,
            timeout=settings.provider_timeout_seconds,
            wait_seconds=wait if wait >= 1 else None,
            max_connections=settings.replicate_image_concurrency,
        )
        return PacedImageProvider(replicate, settings.replicate_image_concurrency)
    from providers.images.local.pool import PooledLocalImageProvider

    return PooledLocalImageProvider(settings.image_concurrency)


def build_text_provider(settings: Settings) -> TextProvider:
    if settings.text_provider == "openai":
        from providers.text.openai import OpenAITextProvider

        client = _openai_client(settings, "text_provider=openai")
        return OpenAITextProvider(client, model=settings.openai_text_model)
    if settings.text_provider == "replicate":
        raise ValueError("text_provider=replicate is not supported; use 'local' or 'openai'")
    from providers.text.local.provider import LocalTextProvider

    return LocalTextProvider()


def build_vision_provider(settings: Settings) -> VisionProvider:
    if settings.vision_provider == "openai":
        from providers.vision.openai import OpenAIVisionProvider

        client = _openai_client(settings, "vision_provider=openai")
        return OpenAIVisionProvider(client, model=settings.openai_vision_model)
    if settings.vision_provider == "replicate":
        raise ValueError("vision_provider=replicate is not supported; use 'local' or 'openai'")
    from providers.vision.local.provider import LocalVisionProvider

    return LocalVisionProvider(max_pixels=settings.max_image_pixels)


def build_storage(settings: Settings) -> MediaStorage:
    if settings.storage_backend == "s3":
        from providers.storage.s3 import S3MediaStorage

        if not settings.s3_access_key_id:
            raise ValueError("storage_backend=s3 needs AUTOPERSONAS_S3_ACCESS_KEY_ID to be set")
        return S3MediaStorage(
            # Without an endpoint we talk to AWS itself, path-style like every other endpoint.
            endpoint_url=settings.s3_endpoint_url or f"https://s3.{settings.s3_region}.amazonaws.com",
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=_require(settings.s3_secret_access_key, "S3_SECRET_ACCESS_KEY", "storage_backend=s3"),
            public_base_url=settings.public_base_url,
            timeout=settings.provider_timeout_seconds,
        )
    from providers.storage.local.provider import LocalMediaStorage

    return LocalMediaStorage(settings.resolved_media_dir, settings.public_base_url)


def build_video(settings: Settings) -> VideoProvider:
    if settings.video_provider == "openai":
        from providers.video.openai import OpenAIVideoProvider

        return OpenAIVideoProvider(
            base_url=settings.openai_base_url,
            api_key=_require(settings.openai_api_key, "OPENAI_API_KEY", "video_provider=openai"),
            model=settings.openai_video_model,
            timeout=settings.provider_timeout_seconds,
            max_image_pixels=settings.max_image_pixels,
        )
    if settings.video_provider == "replicate":
        from providers.video.replicate import ReplicateVideoProvider

        return ReplicateVideoProvider(
            base_url=settings.replicate_base_url,
            api_token=_require(settings.replicate_api_token, "REPLICATE_API_TOKEN", "video_provider=replicate"),
            model=settings.replicate_video_model,
            timeout=settings.provider_timeout_seconds,
        )
    from providers.video.local.provider import LocalVideoProvider

    return LocalVideoProvider(
        settings.resolved_video_cache_dir,
        scale=settings.video_local_scale,
        max_image_pixels=settings.max_image_pixels,
    )
