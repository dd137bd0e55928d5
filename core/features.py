"""Feature flags of this deployment, derived from settings so operators flip them by environment."""

from __future__ import annotations

from core.settings import Settings


def feature_flags(settings: Settings) -> dict[str, bool]:
    return {
        "imageGeneration": True,
        "captionGeneration": True,
        "referencePacks": True,
        "sandboxPublishing": True,
        "xPublishing": bool(settings.x_client_id),
        "tiktokPublishing": bool(settings.tiktok_client_key),
        "instagramPublishing": settings.instagram_enabled,
        "xImport": bool(settings.x_client_id),
        "tiktokImport": bool(settings.tiktok_client_key),
        "instagramImport": settings.instagram_enabled and settings.instagram_import_enabled,
        "s3Storage": settings.storage_backend == "s3",
        "sharedRateLimit": bool(settings.redis_url),
    }
