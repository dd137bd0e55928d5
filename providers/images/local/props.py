"""What stands in each outdoor place (sea and palms, buildings, trees, peaks, dunes), plus the dispatcher.

A word in the negative prompt ("no trees") removes the props it names.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from providers.images.local.colors import RGB, mix, shade
from providers.images.local.props_indoor import draw_cafe, draw_gym, draw_home, draw_studio
from providers.images.local.scene import ScenePlan
from providers.images.local.shapes import Canvas, limb

Drawer = Callable[[Canvas, ScenePlan, random.Random, int], None]


def draw_props(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    drawer = DRAWERS.get(plan.place)
    if drawer is not None:
        drawer(canvas, plan, rng, horizon)
    else:
        _abstract(canvas, plan, rng, horizon)


def _beach(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    sea = mix((30, 110, 170), plan.sky[0], 0.25)
    shore = horizon + int(height * 0.09)
    canvas.draw.rectangle((0, horizon, width, shore), fill=sea)
    for row in range(5):
        y = horizon + (row + 0.5) * (shore - horizon) / 5
        for _ in range(6):
            x = rng.uniform(0, width)
            canvas.draw.arc(
                (x - 4 * unit, y - unit, x + 4 * unit, y + unit),
                200,
                340,
                fill=shade(sea, 0.45),
                width=max(1, int(unit / 3)),
            )
    canvas.draw.rectangle((0, shore, width, shore + unit), fill=(246, 244, 236))
    if "palm" not in plan.banned and "trees" not in plan.banned:
        base_x = width * rng.choice((0.1, 0.88))
        top = (base_x + rng.uniform(-6, 6) * unit, height * 0.18)
        limb(canvas, (base_x, height * 0.86), top, 1.6 * unit, 1.0 * unit, (120, 84, 50))
        for angle in range(6):
            dx = (-14 + angle * 5.6) * unit
            canvas.draw.polygon(
                [
                    top,
                    (top[0] + dx, top[1] + rng.uniform(2, 9) * unit),
                    (top[0] + dx * 0.6, top[1] - 2 * unit),
                ],
                fill=(40, 120, 60),
            )
    if "umbrella" not in plan.banned:
        ux, uy = width * rng.uniform(0.25, 0.75), shore + height * 0.05
        color = plan.accents[0]
        canvas.draw.line([(ux, uy), (ux, uy + 14 * unit)], fill=(90, 80, 70), width=max(1, int(unit * 0.6)))
        canvas.draw.pieslice(
            (ux - 10 * unit, uy - 5 * unit, ux + 10 * unit, uy + 5 * unit), 180, 360, fill=color
        )


def _city(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    lit = plan.time in ("evening", "night")
    x = -rng.uniform(0, 6) * unit
    while x < width:
        w = rng.uniform(9, 20) * unit
        top = horizon - rng.uniform(0.25, 0.75) * horizon
        body = mix(shade(plan.sky[0], -0.35), (70, 74, 86), rng.uniform(0.3, 0.8))
        canvas.draw.rectangle((x, top, x + w, horizon), fill=body)
        for wy in range(int(top + 2 * unit), int(horizon - 2 * unit), int(3.2 * unit)):
            for wx in range(int(x + 1.5 * unit), int(x + w - 2 * unit), int(3 * unit)):
                on = lit and rng.random() < 0.55
                glass = (255, 214, 120) if on else shade(plan.sky[1], -0.2 if not lit else -0.6)
                canvas.draw.rectangle((wx, wy, wx + 1.4 * unit, wy + 1.8 * unit), fill=glass)
        x += w + rng.uniform(0.5, 3) * unit
    if plan.time == "night":
        for color in plan.accents[:3]:
            nx, ny = rng.uniform(0.05, 0.85) * width, horizon * rng.uniform(0.55, 0.9)
            canvas.draw.rounded_rectangle(
                (nx, ny, nx + 12 * unit, ny + 3 * unit),
                radius=int(unit),
                outline=shade(color, 0.3),
                width=max(2, int(unit * 0.6)),
            )
    for lamp_x in (width * 0.08, width * 0.92):
        canvas.draw.line(
            [(lamp_x, horizon + 20 * unit), (lamp_x, horizon - 22 * unit)],
            fill=(40, 40, 46),
            width=max(2, int(unit * 0.8)),
        )
        bulb: RGB = (255, 226, 150) if lit else (210, 210, 200)
        canvas.draw.ellipse(
            (lamp_x - 1.6 * unit, horizon - 24 * unit, lamp_x + 1.6 * unit, horizon - 21 * unit), fill=bulb
        )


def _forest(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    if "trees" in plan.banned:
        return
    for layer in range(3):
        green = shade((46, 110, 56), -0.15 * (2 - layer) + 0.1 * layer)
        green = mix(green, plan.sky[1], 0.35 - layer * 0.15)
        for _ in range(9 - layer * 2):
            x = rng.uniform(-5, 105) * unit
            base = horizon + layer * 3 * unit
            tall = rng.uniform(30, 55) * unit * (1 + layer * 0.25)
            half = tall * 0.28
            canvas.draw.rectangle((x - unit, base - tall * 0.2, x + unit, base + 2 * unit), fill=(80, 56, 40))
            for tier in range(3):
                tier_base = base - tall * 0.15 - tier * tall * 0.25
                canvas.draw.polygon(
                    [
                        (x - half * (1 - tier * 0.22), tier_base),
                        (x + half * (1 - tier * 0.22), tier_base),
                        (x, tier_base - tall * 0.45),
                    ],
                    fill=green,
                )


def _park(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width, height = canvas.image.size
    unit = width / 100
    if "trees" not in plan.banned:
        for _ in range(4):
            x = rng.uniform(0, 100) * unit
            canvas.draw.rectangle(
                (x - 1.2 * unit, horizon - 12 * unit, x + 1.2 * unit, horizon + unit), fill=(96, 70, 48)
            )
            for _leaf in range(4):
                r = rng.uniform(6, 10) * unit
                cx, cy = x + rng.uniform(-5, 5) * unit, horizon - rng.uniform(16, 24) * unit
                canvas.draw.ellipse(
                    (cx - r, cy - r, cx + r, cy + r), fill=mix((60, 130, 60), plan.sky[1], 0.15)
                )
    if "flowers" not in plan.banned:
        for _ in range(120):
            x, y = rng.uniform(0, width), rng.uniform(horizon + 2 * unit, height)
            r = rng.uniform(0.3, 0.7) * unit
            canvas.draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(plan.accents))
    bench_x = width * rng.choice((0.12, 0.7))
    seat_y = horizon + 8 * unit
    canvas.draw.rectangle((bench_x, seat_y, bench_x + 20 * unit, seat_y + 1.5 * unit), fill=(120, 80, 50))
    canvas.draw.rectangle(
        (bench_x, seat_y - 5 * unit, bench_x + 20 * unit, seat_y - 3.5 * unit), fill=(120, 80, 50)
    )


def _mountain(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    for layer in range(2):
        color = mix((96, 104, 130), plan.sky[1], 0.45 - layer * 0.3)
        x = -20 * unit
        while x < width:
            span = rng.uniform(25, 45) * unit
            peak = horizon - rng.uniform(0.3, 0.6) * horizon * (1 - layer * 0.3)
            px = x + span / 2
            canvas.draw.polygon([(x, horizon), (px, peak), (x + span, horizon)], fill=color)
            cap = 0.22
            canvas.draw.polygon(
                [
                    (px - span / 2 * cap, peak + (horizon - peak) * cap),
                    (px, peak),
                    (px + span / 2 * cap, peak + (horizon - peak) * cap),
                ],
                fill=(246, 248, 252),
            )
            x += span * 0.7


def _desert(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    for _ in range(3):
        cx = rng.uniform(0, width)
        canvas.draw.ellipse(
            (cx - 40 * unit, horizon - 6 * unit, cx + 40 * unit, horizon + 12 * unit),
            fill=shade(plan.ground, rng.uniform(-0.15, 0.1)),
        )
    if "cactus" not in plan.banned:
        for _ in range(2):
            x, base = rng.uniform(5, 95) * unit, horizon + rng.uniform(4, 16) * unit
            green = (70, 130, 80)
            limb(canvas, (x, base), (x, base - 16 * unit), 2 * unit, 2 * unit, green)
            limb(
                canvas,
                (x - 4 * unit, base - 12 * unit),
                (x - 4 * unit, base - 7 * unit),
                1.2 * unit,
                1.2 * unit,
                green,
            )
            canvas.draw.line(
                [(x - 4 * unit, base - 7 * unit), (x, base - 7 * unit)], fill=green, width=int(2.4 * unit)
            )


def _abstract(canvas: Canvas, plan: ScenePlan, rng: random.Random, horizon: int) -> None:
    width = canvas.image.width
    unit = width / 100
    # Big, faint echoes of the palette give an abstract backdrop some depth behind the motifs.
    for index, color in enumerate(plan.accents):
        r = rng.uniform(12, 30) * unit
        cx, cy = rng.uniform(0, width), rng.uniform(0.2, 1.0) * horizon
        outline = mix(color, plan.sky[1], 0.5)
        canvas.draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r), outline=outline, width=max(2, int(unit * (1 + index)))
        )
    canvas.draw.rectangle((0, horizon - unit, width, horizon + unit), fill=shade(plan.ground, 0.2))


DRAWERS: dict[str, Drawer] = {
    "beach": _beach,
    "city": _city,
    "forest": _forest,
    "park": _park,
    "mountain": _mountain,
    "desert": _desert,
    "cafe": draw_cafe,
    "gym": draw_gym,
    "studio": draw_studio,
    "home": draw_home,
}
