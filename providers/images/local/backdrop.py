"""The background: sky or wall, sun or moon, the prompt's motifs, the ground, the weather, and the light.

Gradients come from cached masks and every element is an ImageDraw primitive, so a 1024px backdrop costs a
few milliseconds rather than a per-pixel loop.
"""

from __future__ import annotations

import random
from functools import lru_cache

from PIL import Image, ImageChops

from providers.images.local.colors import RGB, mix, shade
from providers.images.local.props import draw_props
from providers.images.local.scene import Motif, ScenePlan
from providers.images.local.shapes import Canvas, column_image, gradient_column, row_image, soft_blob

# Overall light by time of day: per-channel gains applied once the picture is complete.
AMBIENT: dict[str, tuple[float, float, float]] = {
    "morning": (1.03, 1.01, 0.97),
    "afternoon": (1.0, 1.0, 1.0),
    "evening": (1.06, 0.9, 0.76),
    "night": (0.52, 0.56, 0.72),
}
INDOOR_NIGHT = (0.78, 0.68, 0.56)  # lamps, not moonlight, light a room at night
WASH: dict[str, int] = {"morning": 56, "afternoon": 30, "evening": 84, "night": 28}


def draw_backdrop(plan: ScenePlan, size: tuple[int, int]) -> Image.Image:
    width, height = size
    rng = random.Random(plan.seed ^ 0xBAC)
    horizon = max(1, int(height * plan.horizon))
    column = gradient_column(
        [(horizon, plan.sky[0], plan.sky[1]), (height - horizon, plan.ground, shade(plan.ground, -0.35))]
    )
    image = column_image(column, width)
    canvas = Canvas.on(image)
    if not plan.indoor:
        _sky_light(canvas, plan, rng, horizon)
    for motif in plan.motifs:
        _motif(canvas, motif, width, horizon)
    draw_props(canvas, plan, rng, horizon)
    if plan.weather is not None and not plan.indoor:
        _weather(canvas, plan.weather, rng)
    return image


def _sky_light(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    x = width * plan.light_x
    if plan.time == "night":
        for _ in range(70):
            sx, sy = rng.uniform(0, width), rng.uniform(0, horizon * 0.85)
            r = rng.uniform(0.12, 0.3) * unit
            canvas.draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(236, 236, 250))
        moon_y = horizon * 0.22
        soft_blob(
            canvas,
            (int(x - 9 * unit), int(moon_y - 9 * unit), int(x + 9 * unit), int(moon_y + 9 * unit)),
            (120, 140, 220),
            80,
            3 * unit,
        )
        canvas.draw.ellipse(
            (x - 4 * unit, moon_y - 4 * unit, x + 4 * unit, moon_y + 4 * unit), fill=(240, 238, 222)
        )
        canvas.draw.ellipse(
            (x - 2.2 * unit, moon_y - 4.6 * unit, x + 5 * unit, moon_y + 2.6 * unit),
            fill=mix(plan.sky[0], plan.sky[1], 0.2),
        )
        return
    height_frac = {"morning": 0.55, "afternoon": 0.2, "evening": 0.9}.get(plan.time, 0.3)
    sun_y = horizon * height_frac
    radius = (9 if plan.time == "evening" else 5.5) * unit
    glow = shade(plan.light, 0.2)
    soft_blob(
        canvas,
        (int(x - radius * 3), int(sun_y - radius * 3), int(x + radius * 3), int(sun_y + radius * 3)),
        glow,
        120,
        radius,
    )
    canvas.draw.ellipse((x - radius, sun_y - radius, x + radius, sun_y + radius), fill=shade(plan.light, 0.4))
    for _ in range(rng.randint(1, 4)):
        cx, cy = rng.uniform(0, width), rng.uniform(0.08, 0.45) * horizon
        cloud = mix((255, 255, 255), plan.sky[1], 0.35)
        for _puff in range(4):
            rx, ry = rng.uniform(4, 9) * unit, rng.uniform(2, 4) * unit
            ox = rng.uniform(-8, 8) * unit
            canvas.draw.ellipse((cx + ox - rx, cy - ry, cx + ox + rx, cy + ry), fill=cloud)


def _motif(canvas: Canvas, motif: Motif, width: int, horizon: int) -> None:
    x, y = motif.x * width, motif.y * horizon
    r = motif.size * width / 2
    color = motif.color
    draw = canvas.draw
    if motif.shape == "circle":
        draw.ellipse((x - r, y - r, x + r, y + r), fill=color)
    elif motif.shape == "ring":
        draw.ellipse((x - r, y - r, x + r, y + r), outline=color, width=max(2, int(r / 4)))
    elif motif.shape == "square":
        draw.regular_polygon((x, y, r), 4, rotation=motif.angle, fill=color)
    elif motif.shape == "triangle":
        draw.regular_polygon((x, y, r), 3, rotation=motif.angle, fill=color)
    elif motif.shape == "diamond":
        draw.polygon([(x, y - r), (x + r * 0.6, y), (x, y + r), (x - r * 0.6, y)], fill=color)
    else:
        draw.rounded_rectangle(
            (x - r * 1.6, y - r * 0.25, x + r * 1.6, y + r * 0.25), radius=int(r * 0.2), fill=color
        )


def _weather(canvas: Canvas, weather: str, rng: random.Random) -> None:
    width, height = canvas.image.size
    unit = width / 100
    if weather == "snow":
        for _ in range(260):
            x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(0.15, 0.45) * unit
            canvas.draw.ellipse((x - r, y - r, x + r, y + r), fill=(250, 250, 255))
        return
    for _ in range(220):
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        canvas.draw.line(
            [(x, y), (x - 0.6 * unit, y + 3 * unit)], fill=(190, 200, 215), width=max(1, int(unit / 5))
        )


def apply_light(image: Image.Image, plan: ScenePlan) -> Image.Image:
    """Time-of-day light over the whole frame: an ambient colour balance and a wash from the light's side."""
    gains = INDOOR_NIGHT if plan.indoor and plan.time == "night" else AMBIENT[plan.time]
    if gains != (1.0, 1.0, 1.0):
        lut = [min(255, round(value * gain)) for gain in gains for value in range(256)]
        image = image.point(lut)
    row = _wash_row(image.width, plan.light, WASH[plan.time], plan.light_x < 0.5)
    return ImageChops.add(image, row_image(list(row), image.height))


@lru_cache(maxsize=64)
def _wash_row(width: int, light: RGB, strength: int, from_left: bool) -> tuple[RGB, ...]:
    """Added light, strongest at the edge the light comes from and falling off quadratically."""
    row: list[RGB] = []
    for x in range(width):
        reach = 1 - x / max(1, width - 1) if from_left else x / max(1, width - 1)
        weight = reach * reach * strength / 255
        row.append((round(light[0] * weight), round(light[1] * weight), round(light[2] * weight)))
    return tuple(row)
