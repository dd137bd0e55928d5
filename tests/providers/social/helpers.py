"""The publish loop the workflow will run, written once against the interface so every platform's
tests drive its adapter the same way."""

from __future__ import annotations

import asyncio

from providers.social.base import (
    AccountCredentials,
    PostRequest,
    PublishedPost,
    SocialPlatform,
    UploadedMedia,
)

MAX_POLLS = 20


async def upload_all(
    platform: SocialPlatform, creds: AccountCredentials, request: PostRequest
) -> list[UploadedMedia]:
    uploaded = []
    for media in request.media:
        item = await platform.upload_media(creds, request, media)
        for _ in range(MAX_POLLS):
            if item.status != "processing":
                break
            await asyncio.sleep(item.check_after or 0)
            item = await platform.poll_media(creds, item)
        uploaded.append(item)
    return uploaded


async def publish(platform: SocialPlatform, creds: AccountCredentials, request: PostRequest) -> PublishedPost:
    uploaded = await upload_all(platform, creds, request)
    assert all(item.status == "ready" for item in uploaded), [item.error for item in uploaded]
    post = await platform.create_post(creds, request, uploaded)
    for _ in range(MAX_POLLS):
        if post.status != "processing":
            break
        await asyncio.sleep(post.check_after or 0)
        post = await platform.poll_post(creds, post)
    return post
