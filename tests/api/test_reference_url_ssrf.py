"""Reference images by URL cannot reach the server's own network: with private URLs off (the production
default), a loopback URL is refused with the one generic 422, whether something listens there or not."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from api.app import create_app
from tests.utils.factories import Tenant, create_influencer
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.stack import Stack


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class TestReferenceUrlToLoopback:
    async def test_loopback_urls_are_refused_with_one_generic_error(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        """The test stack allows private URLs for its local servers; a second app on the same database
        runs with the production default, so the fetch behind it must refuse them."""
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
        production = create_app(stack.settings.model_copy(update={"allow_private_urls": False}))
        with serve_in_thread(production, free_port()) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as strict:
                for url in urls:
                    response = await strict.post(
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
