"""Request → picture: plan the scene, draw backdrop and figure (or every figure of a group), light it, grade
it, encode it."""

from __future__ import annotations

import io

from PIL import Image

from domain.aesthetic_grades import get_grade
from domain.seeds import seeded_random, stable_seed
from domain.vocabulary import VIEWS, View
from providers.images.base import ImageRequest
from providers.images.local.backdrop import apply_light, draw_backdrop
from providers.images.local.figure import draw_figure, make_frame
from providers.images.local.grading import apply_grading
from providers.images.local.group import draw_group
from providers.images.local.outfit import build_look, build_outfit
from providers.images.local.scene import plan_scene
from providers.images.local.shapes import Canvas

NO_FIGURE_WORDS = frozenset({"person", "people", "figure", "human", "humans", "model", "woman", "man"})
MAX_ASPECT = 16 / 9
# zlib level 1 keeps encoding well under the drawing time; grain makes higher levels gain little anyway.
PNG_COMPRESS_LEVEL = 1


def pick_view(request: ImageRequest) -> View:
    if request.view is not None:
        return request.view
    # Without a requested view, posts mostly face the camera.
    return seeded_random("view", request.prompt, request.seed).choice(VIEWS[:2])


def _stage_size(width: int, height: int) -> tuple[int, int]:
    """Scenes are laid out for frames up to 16:9; a wider frame gets a 16:9 stage in its middle."""
    return (min(width, max(1, round(height * MAX_ASPECT))), height)


def _widen(stage: Image.Image, width: int) -> Image.Image:
    """Extend a stage sideways by stretching its outermost columns: sky, wall and ground run on."""
    height = stage.height
    left = (width - stage.width) // 2
    right = width - stage.width - left
    image = Image.new("RGB", (width, height))
    image.paste(stage, (left, 0))
    if left:
        image.paste(stage.crop((0, 0, 1, height)).resize((left, height)), (0, 0))
    if right:
        image.paste(
            stage.crop((stage.width - 1, 0, stage.width, height)).resize((right, height)),
            (left + stage.width, 0),
        )
    return image


def render(request: ImageRequest) -> Image.Image:
    size = _stage_size(request.width, request.height)
    plan = plan_scene(request.prompt, request.seed, request.negative_prompt)
    image = draw_backdrop(plan, size)
    if request.figures and not plan.banned & NO_FIGURE_WORDS:
        image = draw_group(image, plan, request.figures)
    elif not plan.banned & NO_FIGURE_WORDS:
        # Identity (look, outfit, place in frame) ignores the view, so a 4-view pack shows one character.
        rng = seeded_random("figure", plan.seed)
        frame = make_frame(size, pick_view(request), rng)
        draw_figure(
            Canvas.on(image),
            frame,
            build_outfit(request.wardrobe, plan, request.prompt),
            build_look(request.prompt, request.seed),
            rng,
            plan.light_x,
            plan.time == "evening",
        )
    if image.width < request.width:
        image = _widen(image, request.width)
    image = apply_light(image, plan)
    return apply_grading(image, get_grade(request.grade_id).color_grading, stable_seed("grain", request.seed))


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No pnginfo and no timestamps: the same picture always encodes to the same bytes.
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def render_png(request: ImageRequest) -> bytes:
    return encode_png(render(request))
