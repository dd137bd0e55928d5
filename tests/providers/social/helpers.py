"""The publish loop the workflow will run, written once against the interface so every platform's
tests drive its adapter the same way."""

from __future__ import annotations

import asyncio
from datetime import datetime

from providers.social.base import (
    AccountCredentials,
    ImportedPost,
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


async def read_history(
    platform: SocialPlatform,
    creds: AccountCredentials,
    *,
    limit: int,
    since: datetime | None = None,
    max_pages: int = 50,
) -> tuple[list[ImportedPost], int]:
    """(posts, pages): an account's whole history, page after page until the cursor ends, as import reads it."""
    posts: list[ImportedPost] = []
    cursor: str | None = None
    for pages in range(1, max_pages + 1):
        page = await platform.list_posts(creds, cursor, limit, since)
        posts.extend(page.posts)
        cursor = page.next_cursor
        if cursor is None:
            return posts, pages
    raise AssertionError(f"the history did not end within {max_pages} pages")
