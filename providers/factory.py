"""Build the configured provider of each kind from ``Settings``. Called once by the worker and the API;
a missing credential fails here, at start-up, not on the first job. Adapters are imported on demand, so a
deployment only loads the providers it uses."""

from __future__ import annotations

from pydantic import SecretStr

from core.settings import Settings
from providers.embeddings.base import EmbeddingsProvider
from providers.images.base import ImageProvider
from providers.openai_compat import OpenAICompatClient
from providers.storage.base import MediaStorage
from providers.text.base import TextProvider
from providers.video.base import VideoProvider
from providers.vision.base import VisionProvider
from providers.voice.base import VoiceProvider


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

        # Static keys when both are set; otherwise the standard AWS credential chain.
        secret = settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None
        if bool(settings.s3_access_key_id) != bool(secret):
            raise ValueError("set both AUTOPERSONAS_S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither")
        return S3MediaStorage(
            endpoint_url=settings.s3_endpoint_url,
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret,
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


def build_voice(settings: Settings) -> VoiceProvider:
    if settings.voice_provider == "elevenlabs":
        from providers.voice.elevenlabs import ElevenLabsVoiceProvider

        return ElevenLabsVoiceProvider(
            base_url=settings.elevenlabs_base_url,
            api_key=_require(settings.elevenlabs_api_key, "ELEVENLABS_API_KEY", "voice_provider=elevenlabs"),
            timeout=settings.provider_timeout_seconds,
        )
    from providers.voice.local.provider import LocalVoiceProvider

    return LocalVoiceProvider()


def build_embeddings(settings: Settings) -> EmbeddingsProvider:
    if settings.embeddings_provider == "openai":
        from providers.embeddings.openai import OpenAIEmbeddingsProvider

        client = _openai_client(settings, "embeddings_provider=openai")
        return OpenAIEmbeddingsProvider(client, model=settings.openai_embeddings_model)
    from providers.embeddings.local.provider import LocalEmbeddingsProvider

    return LocalEmbeddingsProvider()
