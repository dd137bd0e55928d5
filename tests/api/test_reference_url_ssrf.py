"""Reference images by URL cannot reach the server's own network: with private URLs off (the production
default), a loopback URL is refused with the one generic 422, whether something listens there or not."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from core.settings import get_settings
from tests.utils.factories import Tenant, create_influencer
from tests.utils.servers import free_port


@pytest.fixture
def private_urls_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The session turns private URLs on for its local servers; this test wants the production default.
    The fetch reads the process settings, so the environment variable is the switch."""
    monkeypatch.setenv("AUTOPERSONAS_ALLOW_PRIVATE_URLS", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()  # monkeypatch restores the variable after this; the next read sees it.


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.usefixtures("private_urls_off")
class TestReferenceUrlToLoopback:
    async def test_loopback_urls_are_refused_with_one_generic_error(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        created = await create_influencer(http, tenant)
        upload = await http.post(
            f"/api/v1/influencers/{created['id']}/references",
            files=[("files", ("f.png", png_bytes(), "image/png"))],
            data={"views": ["front"]},
            headers=tenant.headers,
        )
        assert upload.status_code == 200, upload.text
        served_here = upload.json()["referenceImages"][0]["url"]  # a real image on 127.0.0.1
        port = served_here.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
        path = served_here.split("://", 1)[1].split("/", 1)[1]
        urls = [
            served_here,
            f"http://2130706433:{port}/{path}",
            f"http://[::ffff:127.0.0.1]:{port}/{path}",
            f"http://127.0.0.1:{free_port()}/closed.png",
        ]
        bodies = []
        for url in urls:
            response = await http.post(
                f"/api/v1/influencers/{created['id']}/references",
                json={"references": [{"view": "profile", "url": url}]},
                headers=tenant.headers,
            )
            assert response.status_code == 422, response.text
            bodies.append(response.json())
        assert all(body == bodies[0] for body in bodies)
        error = bodies[0]["error"]
        assert error["message"] == "references.0.url: could not fetch the URL"
        assert error["details"] == [{"field": "references.0.url", "message": "could not fetch the URL"}]
        again = await http.get(f"/api/v1/influencers/{created['id']}", headers=tenant.headers)
        assert [ref["view"] for ref in again.json()["referenceImages"]] == ["front"]
