"""The embedded image provider draws real PNGs that follow the prompt, wardrobe, view and grade."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image, ImageChops, ImageStat

from core.errors import PermanentProviderError
from domain.aesthetic_grades import AESTHETIC_GRADES, ColorGrading
from domain.vocabulary import VIEWS
from providers.images.base import ImageRequest
from providers.images.local.grading import apply_grading
from providers.images.local.provider import LocalImageProvider


async def render(**fields: object) -> Image.Image:
    generated = await LocalImageProvider().generate(ImageRequest.model_validate(fields))
    image = Image.open(io.BytesIO(generated.data))
    image.load()
    return image.convert("RGB")


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def share_changed(a: Image.Image, b: Image.Image, threshold: int = 24) -> float:
    """Fraction of pixels whose colour changed clearly (any channel by more than ``threshold``)."""
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > threshold else 0)
    return ImageStat.Stat(changed).mean[0] / 255


def share_matching(image: Image.Image, low: tuple[int, int, int], high: tuple[int, int, int]) -> float:
    """Fraction of pixels with every channel inside [low, high]."""
    bands = [
        band.point(lambda v, lo=lo, hi=hi: 255 if lo <= v <= hi else 0)
        for band, lo, hi in zip(image.split(), low, high, strict=True)
    ]
    both = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])
    return ImageStat.Stat(both).mean[0] / 255


def mean_saturation(image: Image.Image) -> float:
    return ImageStat.Stat(image.convert("HSV").getchannel("S")).mean[0]


def warmth(image: Image.Image) -> float:
    red, _, blue = ImageStat.Stat(image).mean
    return red - blue


async def test_generates_a_valid_png_of_the_requested_size() -> None:
    generated = await LocalImageProvider().generate(ImageRequest(prompt="portrait in a cafe", seed=1))
    assert generated.content_type == "image/png"
    assert generated.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(generated.data))
    assert image.format == "PNG"
    assert image.size == (1024, 1024) == (generated.width, generated.height)
    assert generated.model


@pytest.mark.parametrize("size", [(1280, 720), (720, 1280), (64, 64), (2048, 512), (300, 1200), (4096, 64)])
async def test_any_allowed_size_is_honoured(size: tuple[int, int]) -> None:
    for place in ("cafe", "home", "city", "gym"):
        image = await render(prompt=f"{place} at night", seed=2, width=size[0], height=size[1])
        assert image.size == size


async def test_negative_prompt_removes_what_it_names() -> None:
    with_person = await render(prompt="park with trees", seed=3)
    without = await render(prompt="park with trees", seed=3, negative_prompt="person, trees")
    assert share_changed(with_person, without) > 0.02


async def test_same_request_gives_identical_bytes() -> None:
    request = ImageRequest(
        prompt="beach at sunset", seed=42, view="profile", wardrobe=["red dress"], grade_id="film_35mm"
    )
    provider = LocalImageProvider()
    first, second = await provider.generate(request), await provider.generate(request)
    assert first.data == second.data


async def test_different_prompts_give_substantially_different_images() -> None:
    beach = await render(prompt="woman at the beach at sunset", seed=1)
    city = await render(prompt="walking down a city street at night", seed=1)
    assert mean_abs_diff(beach, city) > 30


async def test_unknown_words_still_shape_the_picture() -> None:
    first = await render(prompt="quantum marmalade", seed=1)
    second = await render(prompt="velvet zeppelin", seed=1)
    assert mean_abs_diff(first, second) > 15


async def test_seed_changes_the_picture() -> None:
    first = await render(prompt="studio portrait", seed=1)
    second = await render(prompt="studio portrait", seed=2)
    assert share_changed(first, second) > 0.02


async def test_night_is_darker_than_afternoon() -> None:
    night = await render(prompt="beach at night", seed=3)
    day = await render(prompt="beach in the afternoon", seed=3)
    assert ImageStat.Stat(night.convert("L")).mean[0] < ImageStat.Stat(day.convert("L")).mean[0] - 40


async def test_each_view_renders_a_different_figure() -> None:
    images = {
        view: await render(prompt="studio portrait", seed=seed, view=view)
        for seed in (0, 5)
        for view in VIEWS
    }
    for first, second in itertools.combinations(VIEWS, 2):
        assert share_changed(images[first], images[second]) > 0.004, (first, second)


@pytest.mark.parametrize(
    ("word", "low", "high"), [("red", (150, 0, 0), (255, 90, 90)), ("blue", (0, 40, 150), (90, 140, 255))]
)
async def test_a_colour_word_in_the_wardrobe_shows_in_the_pixels(
    word: str, low: tuple[int, int, int], high: tuple[int, int, int]
) -> None:
    other = "blue" if word == "red" else "red"
    wearing = await render(prompt="studio portrait", seed=9, wardrobe=[f"{word} jacket"])
    not_wearing = await render(prompt="studio portrait", seed=9, wardrobe=[f"{other} jacket"])
    # The jacket alone covers over 1% of the frame in that colour, whatever else the scene holds.
    assert share_matching(wearing, low, high) - share_matching(not_wearing, low, high) > 0.01


async def test_black_and_white_grade_has_near_zero_saturation() -> None:
    colour = await render(prompt="park picnic flowers", seed=4, grade_id="natural")
    mono = await render(prompt="park picnic flowers", seed=4, grade_id="black_and_white")
    assert mean_saturation(colour) > 40
    assert mean_saturation(mono) < 2


async def test_golden_hour_is_warmer_than_cool_minimal() -> None:
    golden = await render(prompt="studio portrait", seed=5, grade_id="golden_hour")
    cool = await render(prompt="studio portrait", seed=5, grade_id="cool_minimal")
    assert warmth(golden) > warmth(cool) + 20


async def test_moody_noir_is_darker_and_more_muted_than_vibrant_pop() -> None:
    noir = await render(prompt="city street", seed=6, grade_id="moody_noir")
    pop = await render(prompt="city street", seed=6, grade_id="vibrant_pop")
    assert ImageStat.Stat(noir.convert("L")).mean[0] < ImageStat.Stat(pop.convert("L")).mean[0]
    assert mean_saturation(noir) < mean_saturation(pop) / 2


async def test_every_grade_changes_pixels_except_natural() -> None:
    base = await render(prompt="forest hike", seed=8, grade_id="natural")
    for grade in AESTHETIC_GRADES:
        graded = await render(prompt="forest hike", seed=8, grade_id=grade.id)
        if grade.id == "natural":
            assert mean_abs_diff(base, graded) == 0
        else:
            assert mean_abs_diff(base, graded) > 3, grade.id


async def test_unknown_grade_is_a_permanent_error() -> None:
    with pytest.raises(PermanentProviderError):
        await LocalImageProvider().generate(ImageRequest(prompt="x", seed=0, grade_id="sepia_dream"))


def flat(color: tuple[int, int, int], size: tuple[int, int] = (64, 64)) -> Image.Image:
    return Image.new("RGB", size, color)


def test_grading_brightness_and_fade_move_levels_as_described() -> None:
    grey = flat((100, 100, 100))
    assert apply_grading(grey, ColorGrading(brightness=1.2), 0).getpixel((0, 0)) == (120, 120, 120)
    faded_black = apply_grading(flat((0, 0, 0)), ColorGrading(fade=0.5), 0).getpixel((0, 0))
    assert isinstance(faded_black, tuple) and min(faded_black) > 30
    faded_white = apply_grading(flat((255, 255, 255)), ColorGrading(fade=0.5), 0).getpixel((0, 0))
    assert faded_white == (255, 255, 255)


def test_grading_temperature_and_tints_shift_channels() -> None:
    grey = flat((128, 128, 128))
    warm = apply_grading(grey, ColorGrading(temperature=1.0), 0).getpixel((0, 0))
    cool = apply_grading(grey, ColorGrading(temperature=-1.0), 0).getpixel((0, 0))
    assert isinstance(warm, tuple) and isinstance(cool, tuple)
    assert warm[0] > 128 > warm[2] and cool[2] > 128 > cool[0]
    shadows = apply_grading(flat((20, 20, 20)), ColorGrading(shadow_tint=(0, 20, 30)), 0).getpixel((0, 0))
    assert isinstance(shadows, tuple) and shadows[2] > shadows[1] > shadows[0]


def test_grading_vignette_darkens_corners_not_centre() -> None:
    graded = apply_grading(flat((200, 200, 200), (200, 200)), ColorGrading(vignette=1.0), 0)
    centre, corner = graded.getpixel((100, 100)), graded.getpixel((2, 2))
    assert isinstance(centre, tuple) and isinstance(corner, tuple)
    assert centre[0] >= 195 and corner[0] < 120


def test_grain_is_seeded_and_monochrome() -> None:
    grey = flat((128, 128, 128), (128, 128))
    grading = ColorGrading(grain=1.0)
    first, again, other = (apply_grading(grey, grading, seed) for seed in (1, 1, 2))
    assert first.tobytes() == again.tobytes()
    assert first.tobytes() != other.tobytes()
    assert ImageStat.Stat(first.convert("L")).stddev[0] > 5
    assert mean_saturation(first) == 0


def test_grading_leaves_the_input_untouched() -> None:
    image = flat((90, 120, 150))
    before = image.tobytes()
    apply_grading(image, ColorGrading(contrast=1.3, saturation=0.5, vignette=0.5, grain=0.5), 3)
    assert image.tobytes() == before
