"""Hostile images at the edge: decompression bombs refused from their header, and uploads re-encoded so what
we serve is only pixels, with headers that stop a browser from treating it as a page."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.test_content import ai_profile, error_fields, list_ids, upload_content
from tests.api.test_influencers import png_bytes
from tests.utils.factories import Tenant, create_influencer
from tests.utils.images import bomb_png

HTML_TAIL = b"<html><script>alert(document.cookie)</script></html>"


class TestDecompressionBombs:
    async def test_content_upload_of_a_bomb_is_413_naming_the_file(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        response = await http.post(
            "/api/v1/content",
            files={"file": ("bomb.png", bomb_png(), "image/png")},
            data={"caption": "x", "profileId": profile_id},
            headers=tenant.headers,
        )
        assert response.status_code == 413, response.text
        assert response.json()["error"]["code"] == "payload_too_large"
        assert error_fields(response) == {"file"}
        assert await list_ids(http, tenant) == []

    async def test_photo_analysis_of_a_bomb_is_413_naming_the_photo(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        response = await http.post(
            "/api/v1/characters/analyze-photos",
            files=[
                ("files", ("ok.png", png_bytes((1, 2, 3)), "image/png")),
                ("files", ("b.png", bomb_png(), "image/png")),
            ],
            headers=tenant.headers,
        )
        assert response.status_code == 413, response.text
        assert error_fields(response) == {"files.1"}

    async def test_reference_upload_of_a_bomb_is_413(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        response = await http.post(
            f"/api/v1/influencers/{influencer['id']}/references",
            files=[("files", ("bomb.png", bomb_png(), "image/png"))],
            data={"views": ["front"]},
            headers=tenant.headers,
        )
        assert response.status_code == 413, response.text
        assert error_fields(response) == {"files.0"}


class TestReencodedMedia:
    async def test_png_with_html_appended_is_served_without_it_and_with_safe_headers(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        polyglot = png_bytes((200, 30, 30), size=(40, 40)) + HTML_TAIL
        created = await upload_content(http, tenant, profile_id, image=polyglot)
        served = await http.get(created["mediaUrl"])
        assert served.status_code == 200
        assert b"<html" not in served.content
        assert b"<script" not in served.content
        assert served.headers["x-content-type-options"] == "nosniff"
        csp = served.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "sandbox" in csp
        with Image.open(io.BytesIO(served.content)) as image:
            assert (image.format, image.size) == ("PNG", (40, 40))
            assert image.getpixel((0, 0)) == (200, 30, 30)

    async def test_jpeg_metadata_is_stripped(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[0x010E] = "secret description"  # ImageDescription
        Image.new("RGB", (32, 32), (20, 90, 200)).save(buffer, format="JPEG", exif=exif, comment=b"hidden note")
        created = await upload_content(http, tenant, profile_id, image=buffer.getvalue())
        assert created["mediaType"] == "image/jpeg"
        served = (await http.get(created["mediaUrl"])).content
        assert b"secret description" not in served
        assert b"hidden note" not in served

    async def test_reference_upload_is_reencoded(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        response = await http.post(
            f"/api/v1/influencers/{influencer['id']}/references",
            files=[("files", ("front.png", png_bytes((5, 5, 5)) + HTML_TAIL, "image/png"))],
            data={"views": ["front"]},
            headers=tenant.headers,
        )
        assert response.status_code in (200, 201), response.text
        urls = [ref["url"] for ref in response.json()["referenceImages"]]
        assert urls
        for url in urls:
            assert b"<html" not in (await http.get(url)).content
