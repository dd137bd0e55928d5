"""Where a sandbox post lives publicly: one rule shared by the sandbox platform and the API's account view."""

from __future__ import annotations


def sandbox_post_url(public_base_url: str, handle: str, post_id: str) -> str:
    return f"{public_base_url.rstrip('/')}/sandbox/@{handle}/{post_id}"
