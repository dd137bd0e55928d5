"""The configured social platforms, by name. Sandbox is always there; X, TikTok and Instagram appear once
their app credentials are set."""

from __future__ import annotations

from core.settings import Settings
from providers.social.base import SocialPlatform


def _secret(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter else ""


def build_social_platforms(settings: Settings) -> dict[str, SocialPlatform]:
    from providers.social.sandbox import SandboxPlatform

    platforms: dict[str, SocialPlatform] = {
        "sandbox": SandboxPlatform(settings.sandbox_base_url or settings.public_base_url)
    }
    poll = settings.publish_poll_seconds
    if settings.x_client_id:
        from providers.social.x import XPlatform

        platforms["x"] = XPlatform(
            client_id=settings.x_client_id, client_secret=_secret(settings.x_client_secret) or None,
            base_url=settings.x_api_base_url, authorize_endpoint=settings.x_authorize_url,
            token_endpoint=settings.x_token_url, poll_interval=poll,
        )
    if settings.tiktok_client_key:
        from providers.social.tiktok import TikTokPlatform

        platforms["tiktok"] = TikTokPlatform(
            client_key=settings.tiktok_client_key, client_secret=_secret(settings.tiktok_client_secret),
            base_url=settings.tiktok_api_base_url, authorize_endpoint=settings.tiktok_authorize_url,
            token_endpoint=settings.tiktok_token_url, poll_interval=poll,
            pull_url_prefix=settings.tiktok_pull_url_prefix,
        )
    if settings.instagram_enabled and settings.instagram_client_id:
        from providers.social.instagram import InstagramPlatform

        platforms["instagram"] = InstagramPlatform(
            client_id=settings.instagram_client_id, client_secret=_secret(settings.instagram_client_secret),
            base_url=settings.instagram_api_base_url, authorize_endpoint=settings.instagram_authorize_url,
            token_endpoint=settings.instagram_token_url, poll_interval=poll,
        )
    return platforms
