"""What stands in each indoor place: cafe window and lamps, gym racks, studio softboxes, a living room.

Indoors the plan's sky pair is the wall and the time of day shows through windows and lamps.
"""

from __future__ import annotations

import random

from providers.images.local.colors import RGB, mix, shade
from providers.images.local.scene import ScenePlan
from providers.images.local.shapes import Canvas, soft_blob

WINDOW_VIEW: dict[str, tuple[RGB, RGB]] = {
    "morning": ((170, 210, 240), (250, 226, 200)),
    "afternoon": ((130, 180, 235), (220, 236, 248)),
    "evening": ((90, 70, 140), (250, 160, 90)),
    "night": ((10, 14, 40), (34, 44, 90)),
}


def _window(canvas: Canvas, box: tuple[float, float, float, float], time: str, frame: RGB) -> None:
    x0, y0, x1, y1 = box
    top, bottom = WINDOW_VIEW[time]
    steps = 12
    for step in range(steps):
        band_y = y0 + (y1 - y0) * step / steps
        canvas.draw.rectangle(
            (x0, band_y, x1, band_y + (y1 - y0) / steps + 1), fill=mix(top, bottom, step / steps)
        )
    unit = canvas.image.width / 100
    canvas.draw.rectangle(box, outline=frame, width=max(2, int(unit * 0.9)))
    canvas.draw.line([((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)], fill=frame, width=max(2, int(unit * 0.6)))
    canvas.draw.line([(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)], fill=frame, width=max(2, int(unit * 0.6)))


def _lamp(canvas: Canvas, x: float, drop: float, color: RGB, glowing: bool) -> None:
    unit = canvas.image.width / 100
    canvas.draw.line([(x, 0), (x, drop)], fill=(50, 44, 40), width=max(1, int(unit * 0.3)))
    if glowing:
        soft_blob(
            canvas,
            (int(x - 9 * unit), int(drop - 4 * unit), int(x + 9 * unit), int(drop + 12 * unit)),
            (255, 214, 150),
            120,
            3 * unit,
        )
    canvas.draw.pieslice((x - 4 * unit, drop - 2 * unit, x + 4 * unit, drop + 6 * unit), 180, 360, fill=color)
    canvas.draw.ellipse(
        (x - 1.2 * unit, drop + 1 * unit, x + 1.2 * unit, drop + 3 * unit),
        fill=(255, 236, 180) if glowing else (236, 230, 214),
    )


def draw_cafe(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    left = rng.random() < 0.5
    wx0 = 6 * unit if left else 56 * unit
    _window(
        canvas, (wx0, 10 * unit, wx0 + 38 * unit, horizon - 14 * unit), plan.time, shade(plan.sky[0], -0.45)
    )
    shelf_x = 58 * unit if left else 6 * unit
    shelf_y = horizon * 0.42
    canvas.draw.rectangle((shelf_x, shelf_y, shelf_x + 34 * unit, shelf_y + 1.2 * unit), fill=(96, 66, 44))
    for index in range(6):
        jx = shelf_x + (2 + index * 5.5) * unit
        jh = rng.uniform(3, 6) * unit
        canvas.draw.rounded_rectangle(
            (jx, shelf_y - jh, jx + 3.6 * unit, shelf_y),
            radius=int(unit * 0.6),
            fill=plan.accents[index % len(plan.accents)],
        )
    glowing = plan.time in ("evening", "night")
    for index in range(3):
        _lamp(
            canvas,
            (20 + index * 30 + rng.uniform(-4, 4)) * unit,
            rng.uniform(6, 14) * unit,
            shade(plan.accents[0], -0.2),
            glowing,
        )
    tx = width * (0.8 if left else 0.2)
    top_y = horizon + 6 * unit
    canvas.draw.rectangle((tx - unit, top_y, tx + unit, height * 0.95), fill=(60, 48, 40))
    canvas.draw.ellipse(
        (tx - 14 * unit, top_y - 2.5 * unit, tx + 14 * unit, top_y + 2.5 * unit), fill=(236, 230, 220)
    )
    canvas.draw.rounded_rectangle(
        (tx - 2 * unit, top_y - 6 * unit, tx + 2 * unit, top_y - unit),
        radius=int(unit * 0.5),
        fill=(250, 250, 248),
    )
    canvas.draw.arc(
        (tx + 1.2 * unit, top_y - 5 * unit, tx + 4 * unit, top_y - 2 * unit),
        270,
        90,
        fill=(250, 250, 248),
        width=max(1, int(unit * 0.5)),
    )


def draw_gym(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    for x in range(0, width, int(12 * unit)):
        canvas.draw.line(
            [(x, 0), (x, horizon)], fill=shade(plan.sky[0], -0.15), width=max(1, int(unit * 0.4))
        )
    mirror = (22 * unit, 12 * unit, 78 * unit, horizon - 4 * unit)
    canvas.draw.rectangle(
        mirror, fill=mix(plan.sky[1], (200, 214, 226), 0.5), outline=(30, 30, 34), width=max(2, int(unit))
    )
    rack_y = horizon - 2 * unit
    canvas.draw.rectangle((4 * unit, rack_y - 12 * unit, 96 * unit, rack_y - 11 * unit), fill=(30, 30, 34))
    accent = plan.accents[0]
    for index in range(8):
        dx = (8 + index * 11) * unit
        plate = 1.6 + index * 0.18
        color = accent if index % 3 == 0 else (36, 36, 40)
        canvas.draw.rectangle(
            (dx - 3 * unit, rack_y - 12.8 * unit, dx + 3 * unit, rack_y - 12.2 * unit), fill=(150, 150, 156)
        )
        for side in (-1, 1):
            cx = dx + side * 3 * unit
            canvas.draw.ellipse(
                (
                    cx - plate * unit * 0.6,
                    rack_y - 12.5 * unit - plate * unit,
                    cx + plate * unit * 0.6,
                    rack_y - 12.5 * unit + plate * unit,
                ),
                fill=color,
            )
    for index in range(3):
        px = (8 + index * 7 + rng.uniform(0, 3)) * unit
        r = (7 - index) * unit
        canvas.draw.ellipse(
            (px - r, horizon + 10 * unit - r, px + r, horizon + 10 * unit + r),
            fill=(28, 28, 32),
            outline=accent,
            width=max(1, int(unit * 0.5)),
        )
    for y in range(horizon, height, int(6 * unit)):
        canvas.draw.line([(0, y), (width, y)], fill=shade(plan.ground, -0.25), width=max(1, int(unit * 0.3)))
    for light_x in (20 * unit, 50 * unit, 80 * unit):
        canvas.draw.rectangle((light_x - 8 * unit, 0, light_x + 8 * unit, 1.2 * unit), fill=(250, 250, 240))


def draw_studio(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    soft_blob(
        canvas,
        (int(25 * unit), int(10 * unit), int(75 * unit), int(horizon + 10 * unit)),
        shade(plan.sky[0], 0.35),
        140,
        8 * unit,
    )
    for side in (-1, 1):
        x = width / 2 + side * rng.uniform(34, 40) * unit
        top = rng.uniform(14, 22) * unit
        canvas.draw.line(
            [(x, top + 10 * unit), (x, horizon + 14 * unit)], fill=(40, 40, 44), width=max(2, int(unit * 0.6))
        )
        for leg in (-1, 0, 1):
            canvas.draw.line(
                [(x, horizon + 14 * unit), (x + leg * 4 * unit, horizon + 18 * unit)],
                fill=(40, 40, 44),
                width=max(2, int(unit * 0.5)),
            )
        soft_blob(
            canvas,
            (int(x - 10 * unit), int(top - 4 * unit), int(x + 10 * unit), int(top + 16 * unit)),
            (255, 252, 240),
            110,
            3 * unit,
        )
        canvas.draw.rectangle(
            (x - 6 * unit, top, x + 6 * unit, top + 10 * unit),
            fill=(246, 244, 238),
            outline=(40, 40, 44),
            width=max(2, int(unit * 0.8)),
        )
    box_x = width * rng.choice((0.3, 0.62))
    canvas.draw.rectangle((box_x, height * 0.86, box_x + 9 * unit, height * 0.93), fill=plan.accents[0])


def draw_home(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    left = rng.random() < 0.5
    wx0 = 8 * unit if left else 62 * unit
    _window(canvas, (wx0, 12 * unit, wx0 + 30 * unit, horizon - 22 * unit), plan.time, (246, 244, 238))
    curtain = plan.accents[0]
    for cx in (wx0 - 3 * unit, wx0 + 30 * unit):
        canvas.draw.rectangle((cx, 8 * unit, cx + 4 * unit, horizon - 16 * unit), fill=curtain)
    frame_x = 66 * unit if left else 12 * unit
    canvas.draw.rectangle(
        (frame_x, 16 * unit, frame_x + 18 * unit, 30 * unit),
        fill=(250, 248, 240),
        outline=(60, 50, 40),
        width=max(2, int(unit * 0.8)),
    )
    for index, color in enumerate(plan.accents[1:4]):
        canvas.draw.ellipse(
            (frame_x + (3 + index * 4) * unit, 20 * unit, frame_x + (8 + index * 4) * unit, 25 * unit),
            fill=color,
        )
    sofa = shade(plan.accents[-1], -0.1)
    sx = width * (0.58 if left else 0.06)
    canvas.draw.rounded_rectangle(
        (sx, horizon - 14 * unit, sx + 36 * unit, horizon + 4 * unit), radius=int(3 * unit), fill=sofa
    )
    canvas.draw.rounded_rectangle(
        (sx + 2 * unit, horizon - 8 * unit, sx + 34 * unit, horizon + 2 * unit),
        radius=int(2 * unit),
        fill=shade(sofa, 0.15),
    )
    pot_x = width * (0.06 if left else 0.86)
    canvas.draw.polygon(
        [
            (pot_x, horizon + 4 * unit),
            (pot_x + 7 * unit, horizon + 4 * unit),
            (pot_x + 6 * unit, horizon + 12 * unit),
            (pot_x + unit, horizon + 12 * unit),
        ],
        fill=(180, 110, 80),
    )
    for _ in range(7):
        lx, ly = pot_x + rng.uniform(-1, 8) * unit, horizon + rng.uniform(-7, 3) * unit
        canvas.draw.ellipse(
            (lx - 2.5 * unit, ly - 1.2 * unit, lx + 2.5 * unit, ly + 1.2 * unit), fill=(60, 130, 70)
        )
    canvas.draw.ellipse(
        (20 * unit, height * 0.84, 80 * unit, height * 0.99), fill=mix(plan.accents[0], plan.ground, 0.55)
    )
