"""The embedded vision provider measures real pixels and describes what it measured."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from activities.errors import as_application_error
from core.errors import NON_RETRYABLE_PROVIDER_ERRORS, ImageTooLarge, PermanentProviderError
from providers.vision.base import PhotoInput
from providers.vision.local.provider import LocalVisionProvider
from providers.vision.measure import open_image
from tests.utils.images import bomb_png


def photo(image: Image.Image, fmt: str = "PNG", filename: str = "photo.png") -> PhotoInput:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return PhotoInput(data=buffer.getvalue(), content_type=f"image/{fmt.lower()}", filename=filename)


def mostly_red(size: tuple[int, int] = (600, 800)) -> Image.Image:
    image = Image.new("RGB", size, (230, 40, 40))
    ImageDraw.Draw(image).rectangle((0, 0, size[0], size[1] // 6), fill=(250, 240, 230))
    return image


async def test_bright_red_photo_reads_as_red_and_bright() -> None:
    analysis = await LocalVisionProvider().analyze([photo(mostly_red())])
    features = analysis.photos[0]
    assert features.color_names[0] == "red"
    red, green, blue = (int(features.dominant_colors[0][i : i + 2], 16) for i in (1, 3, 5))
    assert red > 180 and green < 80 and blue < 80
    assert features.brightness > 0.4
    assert features.saturation > 0.5
    assert "red" in analysis.base_prompt
    assert "warm" in analysis.base_prompt
    assert any("red" in item.colors for item in analysis.wardrobe_suggestions)


async def test_dark_photo_has_low_brightness_and_says_so() -> None:
    analysis = await LocalVisionProvider().analyze([photo(Image.new("RGB", (640, 480), (18, 20, 30)))])
    assert analysis.photos[0].brightness < 0.15
    assert "dark" in analysis.base_prompt


async def test_bright_photo_is_brighter_than_dark_photo() -> None:
    light = Image.new("RGB", (300, 300), (245, 240, 235))
    dark = Image.new("RGB", (300, 300), (25, 25, 25))
    analysis = await LocalVisionProvider().analyze([photo(light), photo(dark)])
    assert analysis.photos[0].brightness > 0.9 > 0.15 > analysis.photos[1].brightness


async def test_orientation_and_size_follow_the_pixels() -> None:
    portrait = photo(mostly_red((400, 700)))
    landscape = photo(Image.new("RGB", (900, 500), (40, 90, 200)), fmt="JPEG", filename="sea.jpg")
    square = photo(Image.new("RGB", (512, 512), (40, 160, 70)))
    analysis = await LocalVisionProvider().analyze([portrait, landscape, square])
    assert [p.orientation for p in analysis.photos] == ["portrait", "landscape", "square"]
    assert (analysis.photos[0].width, analysis.photos[0].height) == (400, 700)
    assert analysis.photos[1].aspect_ratio == pytest.approx(1.8, abs=0.01)
    assert analysis.photos[1].color_names[0] == "blue"
    assert analysis.photos[2].color_names[0] == "green"


async def test_contrast_separates_flat_from_striped_images() -> None:
    flat = Image.new("L", (200, 200), 128).convert("RGB")
    striped = Image.new("RGB", (200, 200), (0, 0, 0))
    draw = ImageDraw.Draw(striped)
    for x in range(0, 200, 20):
        draw.rectangle((x, 0, x + 9, 200), fill=(255, 255, 255))
    analysis = await LocalVisionProvider().analyze([photo(flat), photo(striped)])
    assert analysis.photos[0].contrast < 0.05
    assert analysis.photos[1].contrast > 0.9
    assert analysis.photos[0].saturation < 0.05
    assert "black and white" in analysis.base_prompt


async def test_wardrobe_suggestions_cover_categories_with_photo_colours() -> None:
    analysis = await LocalVisionProvider().analyze([photo(mostly_red())])
    items = analysis.wardrobe_suggestions
    assert len({item.category for item in items}) == len(items) >= 4
    assert len({item.name for item in items}) == len(items)
    names = set(analysis.photos[0].color_names)
    assert all(set(item.colors) <= names for item in items)


async def test_same_photos_give_the_same_analysis() -> None:
    photos = [photo(mostly_red())]
    assert await LocalVisionProvider().analyze(photos) == await LocalVisionProvider().analyze(photos)


async def test_garbage_bytes_are_a_permanent_error_naming_the_file() -> None:
    garbage = PhotoInput(data=b"definitely not an image", content_type="image/png", filename="broken.png")
    with pytest.raises(PermanentProviderError, match=r"broken\.png"):
        await LocalVisionProvider().analyze([photo(mostly_red()), garbage])


async def test_truncated_image_is_a_permanent_error() -> None:
    data = photo(mostly_red()).data
    with pytest.raises(PermanentProviderError):
        await LocalVisionProvider().analyze(
            [PhotoInput(data=data[: len(data) // 3], content_type="image/png")]
        )


async def test_no_photos_is_a_permanent_error() -> None:
    with pytest.raises(PermanentProviderError):
        await LocalVisionProvider().analyze([])


async def test_a_decompression_bomb_is_refused_from_its_header_and_not_retried() -> None:
    bomb = PhotoInput(data=bomb_png(), content_type="image/png", filename="bomb.png")
    with pytest.raises(ImageTooLarge):
        await LocalVisionProvider(max_pixels=40_000_000).analyze([bomb])
    assert ImageTooLarge.type_name in NON_RETRYABLE_PROVIDER_ERRORS
    assert as_application_error(ImageTooLarge("too big")).non_retryable


async def test_the_pixel_limit_comes_from_the_provider() -> None:
    small = photo(mostly_red((64, 64)))
    with pytest.raises(ImageTooLarge):
        await LocalVisionProvider(max_pixels=64 * 64 - 1).analyze([small])
    assert (await LocalVisionProvider(max_pixels=64 * 64).analyze([small])).photos[0].width == 64


def test_measure_refuses_a_bomb_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        open_image(bomb_png())
