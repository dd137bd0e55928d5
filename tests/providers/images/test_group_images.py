"""Group pictures: every figure of an image request drawn in one picture, each with their own hair and
outfit colours, in their own column (no figure paints over another); HTTP adapters receive every figure,
and Replicate every member's reference images."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator

import pytest
from PIL import Image

from providers.images.base import ImageFigure, ImageRequest, ReferencePicture
from providers.images.local.group import column_box
from providers.images.local.provider import LocalImageProvider
from providers.images.openai import compose_image_prompt
from providers.images.replicate import ReplicateImageProvider
from tests.providers.wire_servers import ReplicateFake, png_bytes
from tests.utils.group_pixels import column_colors, pixel_name

HAIR = ("red", "blue", "green", "yellow")
NEUTRAL = ["white linen shirt", "black trousers", "white sneakers"]


def figures(count: int, **extra: object) -> list[ImageFigure]:
    lead = count // 2
    return [
        ImageFigure.model_validate(
            {
                "name": f"Member {index}",
                "prompt": f"woman, 27, {HAIR[index]} hair",
                "seed": 100 + index,
                "wardrobe": NEUTRAL,
                "role": "front" if index == lead else "beside",
                "facing": "camera" if index == lead else ("right" if index < lead else "left"),
                **extra,
            }
        )
        for index in range(count)
    ]


def request(count: int, seed: int) -> ImageRequest:
    return ImageRequest(prompt="photo studio, calm mood", seed=seed, figures=figures(count))


def hair_extent(png: bytes, color: str) -> tuple[int, int]:
    """Leftmost and rightmost x (in a 256-wide sample) of pixels whose nearest analysis name is ``color``."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((256, 256))
    pixels = image.load()
    assert pixels is not None
    xs = [x for x in range(image.width) for y in range(image.height) if pixel_name(pixels[x, y]) == color]
    assert xs, f"no {color} pixels at all"
    return min(xs), max(xs)


@pytest.mark.parametrize(("count", "seed"), [(2, 1), (3, 7), (4, 11)])
async def test_each_figure_keeps_their_own_hair_in_their_own_column(count: int, seed: int) -> None:
    png = (await LocalImageProvider().generate(request(count, seed))).data
    columns = column_colors(png, count)
    for index in range(count):
        color = HAIR[index]
        own = columns[index][color]
        assert own > 0.004, f"figure {index}'s {color} hair is missing: {columns[index]}"
        assert all(own > 3 * columns[j][color] for j in range(count) if j != index), columns


async def test_figures_do_not_overlap() -> None:
    count, width = 3, 256
    png = (await LocalImageProvider().generate(request(count, 5))).data
    for index in range(count):
        left, right = hair_extent(png, HAIR[index])
        box = column_box((width, width), count, index)
        assert box[0] <= left and right < box[2], (index, left, right, box)


async def test_a_group_differs_from_the_same_scene_with_one_person() -> None:
    group = await LocalImageProvider().generate(request(3, 9))
    single = await LocalImageProvider().generate(ImageRequest(prompt="photo studio, calm mood", seed=9))
    assert group.data != single.data
    # Same request, same picture: the group is as deterministic as a single figure.
    assert (await LocalImageProvider().generate(request(3, 9))).data == group.data


def test_openai_prompt_describes_every_figure_in_order() -> None:
    prompt = compose_image_prompt(request(3, 1))
    positions = [prompt.index(f"Member {index}") for index in range(3)]
    assert positions == sorted(positions)
    assert "Person 2 from the left, Member 1 (in front, facing the camera): woman, 27, blue hair" in prompt
    assert "Person 1 from the left, Member 0 (turned to the right)" in prompt


@pytest.fixture
def fake() -> Iterator[ReplicateFake]:
    fake = ReplicateFake()
    with fake.server:
        yield fake


async def test_replicate_receives_every_members_reference_images(fake: ReplicateFake) -> None:
    pictures = [png_bytes(8, 8, (255, 0, 0)), png_bytes(8, 8, (0, 0, 255))]
    group = figures(2)
    group[0] = group[0].model_copy(update={"references": [ReferencePicture(data=pictures[0])]})
    second = [ReferencePicture(data=pictures[1], content_type="image/png")]
    group[1] = group[1].model_copy(update={"references": second})
    provider = ReplicateImageProvider(
        base_url=f"{fake.server.base_url}/v1", api_token=fake.token, model="owner/multi", timeout=2.0,
        poll_interval=0.01, deadline_seconds=5.0,
    )  # fmt: skip
    try:
        await provider.generate(ImageRequest(prompt="studio", seed=3, figures=group))
    finally:
        await provider.aclose()
    (created,) = fake.server.requests_to("POST", "/v1/models/owner/multi/predictions")
    sent = created.json()["input"]
    decoded = [base64.b64decode(uri.partition(",")[2]) for uri in sent["input_images"]]
    assert decoded == pictures
    assert all(uri.startswith("data:image/png;base64,") for uri in sent["input_images"])
    assert "Member 0" in sent["prompt"] and "Member 1" in sent["prompt"]


async def test_replicate_sends_no_input_images_without_references(fake: ReplicateFake) -> None:
    provider = ReplicateImageProvider(
        base_url=f"{fake.server.base_url}/v1", api_token=fake.token, model="owner/multi", timeout=2.0,
        poll_interval=0.01, deadline_seconds=5.0,
    )  # fmt: skip
    try:
        await provider.generate(ImageRequest(prompt="studio", seed=3, figures=figures(2)))
    finally:
        await provider.aclose()
    (created,) = fake.server.requests_to("POST", "/v1/models/owner/multi/predictions")
    assert "input_images" not in created.json()["input"]
