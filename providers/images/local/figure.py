"""A stylised full-length figure: the view sets the silhouette, the outfit the colours, the seed the pose.

Body coordinates are in "units" of 1/100 of the figure's height, measured up from the feet, with
half-widths from the body's centre line; ``Frame`` turns them into pixels and foreshortens one side for a
three-quarter view and both for a profile.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from providers.images.local.colors import RGB, shade
from providers.images.local.figure_parts import draw_accessories, draw_outerwear, draw_shoes
from providers.images.local.head import draw_head, hair_back, hair_over
from providers.images.local.outfit import Garment, Look, Outfit
from providers.images.local.shapes import Canvas, Point, fill_shape, limb, soft_blob

ARM_POSES = {"down": (8.0, 4.0), "hip": (40.0, -75.0), "raised": (150.0, 172.0), "bent": (12.0, -100.0)}
LONG_SLEEVES = {"shirt", "sweater"}


@dataclass(frozen=True)
class Frame:
    cx: float
    feet: float
    u: float
    view: str
    facing: int  # +1: turned toward the viewer's right; -1: left

    def factor(self, side: int) -> float:
        if self.view == "profile":
            return 0.5
        if self.view == "three_quarter":
            return 0.62 if side == self.facing else 1.0
        return 1.0

    @property
    def shift(self) -> float:
        return self.facing * 1.2 * self.u if self.view == "three_quarter" else 0.0

    def x(self, side: int, half: float) -> float:
        return self.cx + self.shift + side * half * self.factor(side) * self.u

    def y(self, up: float) -> float:
        return self.feet - up * self.u

    def p(self, side: int, half: float, up: float) -> Point:
        return (self.x(side, half), self.y(up))

    def outline(self, rows: Sequence[tuple[float, float]]) -> list[Point]:
        """A polygon symmetric about the body's centre line, from (half-width, height) rows top to bottom."""
        left = [self.p(-1, half, up) for half, up in rows]
        return left + [self.p(1, half, up) for half, up in reversed(rows)]


@dataclass(frozen=True)
class Arm:
    shoulder: Point
    elbow: Point
    hand: Point


def make_frame(size: tuple[int, int], view: str, rng: random.Random) -> Frame:
    width, height = size
    unit = min(height * 0.0072, width * 0.017)
    return Frame(
        cx=width * (0.5 + rng.uniform(-0.07, 0.07)),
        feet=height * 0.935,
        u=unit,
        view=view,
        facing=rng.choice((-1, 1)),
    )


def draw_figure(
    canvas: Canvas,
    frame: Frame,
    outfit: Outfit,
    look: Look,
    rng: random.Random,
    light_x: float,
    long_shadow: bool,
) -> None:
    _ground_shadow(canvas, frame, light_x, long_shadow)
    poses = _arm_poses(frame, rng)
    far = frame.facing if frame.view in ("three_quarter", "profile") else 0
    hair_back(canvas, frame, look)
    if far:
        _arm(canvas, frame, far, poses[far], outfit, look, dim=True)
    near = [side for side in (-1, 1) if side != far]
    arms: dict[int, Arm] = {}
    if frame.view == "back":
        # From behind, hands held in front of the body disappear behind it: arms go under the torso.
        arms = {side: _arm(canvas, frame, side, poses[side], outfit, look, dim=False) for side in near}
    ankles = _legs(canvas, frame, outfit, look, rng)
    draw_shoes(canvas, frame, outfit.shoes, ankles)
    _torso(canvas, frame, outfit, look)
    if outfit.outerwear is not None:
        draw_outerwear(canvas, frame, outfit.outerwear)
    if frame.view != "back":
        arms = {side: _arm(canvas, frame, side, poses[side], outfit, look, dim=False) for side in near}
    draw_head(canvas, frame, look)
    hair_over(canvas, frame, look)
    draw_accessories(canvas, frame, outfit.accessories, arms[-far if far else 1].hand)


def _ground_shadow(canvas: Canvas, frame: Frame, light_x: float, long_shadow: bool) -> None:
    # The shadow falls away from the light, longer when the sun is low.
    away = 1 if light_x < 0.5 else -1
    reach = (26 if long_shadow else 10) * frame.u
    center = frame.cx + away * reach / 2
    half = 10 * frame.u + reach / 2
    box = (
        int(center - half),
        int(frame.feet - 2.2 * frame.u),
        int(center + half),
        int(frame.feet + 2.2 * frame.u),
    )
    soft_blob(canvas, box, (0, 0, 0), 110, frame.u * 1.2)


def _arm_poses(frame: Frame, rng: random.Random) -> dict[int, tuple[float, float]]:
    if frame.view == "profile":
        swing = rng.uniform(10, 28)
        return {frame.facing: (-swing, -swing - 25), -frame.facing: (swing, swing - 10)}
    names = list(ARM_POSES)
    left, right = rng.choice(names), rng.choice(names)
    if left == right == "raised":
        right = "down"
    if frame.view == "back":
        # Seen from behind, the person's own left arm is on the viewer's left: the pose mirrors.
        left, right = right, left
    return {-1: ARM_POSES[left], 1: ARM_POSES[right]}


def _arm(
    canvas: Canvas, frame: Frame, side: int, pose: tuple[float, float], outfit: Outfit, look: Look, dim: bool
) -> Arm:
    u = frame.u
    # In profile both arms hang from the same shoulder and swing along the facing direction.
    direction = frame.facing if frame.view == "profile" else side
    shoulder = frame.p(side, 10.2 if frame.view != "profile" else 1.0, 78.5)
    upper, fore = math.radians(pose[0]), math.radians(pose[1])
    elbow = (shoulder[0] + direction * math.sin(upper) * 15 * u, shoulder[1] + math.cos(upper) * 15 * u)
    hand = (elbow[0] + direction * math.sin(fore) * 14 * u, elbow[1] + math.cos(fore) * 14 * u)
    darken = -0.25 if dim else 0.0
    skin = shade(look.skin, darken)
    limb(canvas, shoulder, elbow, 2.5 * u, 2.1 * u, skin)
    limb(canvas, elbow, hand, 2.1 * u, 1.7 * u, skin)
    canvas.draw.ellipse((hand[0] - 2 * u, hand[1] - 2 * u, hand[0] + 2 * u, hand[1] + 2.2 * u), fill=skin)
    sleeve = _sleeve(outfit)
    if sleeve is not None:
        color, length = sleeve
        color = shade(color, darken)
        end = elbow if length < 1 else hand
        if length < 1:
            end = (shoulder[0] + (elbow[0] - shoulder[0]) * 0.6, shoulder[1] + (elbow[1] - shoulder[1]) * 0.6)
            limb(canvas, shoulder, end, 2.8 * u, 2.5 * u, color)
        else:
            limb(canvas, shoulder, elbow, 2.8 * u, 2.4 * u, color)
            limb(
                canvas,
                elbow,
                (hand[0] + (elbow[0] - hand[0]) * 0.15, hand[1] + (elbow[1] - hand[1]) * 0.15),
                2.4 * u,
                2.0 * u,
                color,
            )
    return Arm(shoulder, elbow, hand)


def _sleeve(outfit: Outfit) -> tuple[RGB, float] | None:
    if outfit.outerwear is not None and outfit.outerwear.kind != "vest":
        return outfit.outerwear.color, 1.0
    garment = outfit.dress or outfit.top
    if garment.kind in LONG_SLEEVES or garment.kind in ("jumpsuit", "gown"):
        return garment.color, 1.0
    if garment.kind in ("tee", "crop", "shirt", "romper", "dress"):
        return garment.color, 0.6
    return None


def _legs(canvas: Canvas, frame: Frame, outfit: Outfit, look: Look, rng: random.Random) -> list[Point]:
    u = frame.u
    spread = rng.uniform(0.0, 2.5)
    bottom = outfit.bottom
    if outfit.dress is not None and outfit.dress.kind in ("jumpsuit", "romper"):
        bottom = Garment("pants" if outfit.dress.kind == "jumpsuit" else "shorts", outfit.dress.color)
    ankles: list[Point] = []
    for side in (-1, 1):
        if frame.view == "profile":
            stride = (4.5 if side == frame.facing else -3.5) * frame.facing * u
        else:
            stride = side * spread * u
        hip = frame.p(side, 4.6, 50)
        knee = (frame.x(side, 4.2) + stride * 0.5, frame.y(26))
        ankle = (frame.x(side, 3.6) + stride, frame.y(3.5))
        ankles.append(ankle)
        tone = shade(look.skin, -0.12 if side == frame.facing and frame.view != "front" else 0.0)
        limb(canvas, hip, knee, 3.6 * u, 2.6 * u, tone)
        limb(canvas, knee, ankle, 2.6 * u, 1.8 * u, tone)
        if bottom is None or bottom.kind == "skirt":
            continue
        color = shade(bottom.color, -0.1 if side == frame.facing and frame.view != "front" else 0.0)
        if bottom.kind == "shorts":
            limb(
                canvas,
                hip,
                (hip[0] + (knee[0] - hip[0]) * 0.5, hip[1] + (knee[1] - hip[1]) * 0.5),
                4.1 * u,
                3.6 * u,
                color,
            )
            continue
        width = 0.85 if bottom.kind == "leggings" else 1.0
        limb(canvas, hip, knee, 4.0 * u * width, 3.0 * u * width, color)
        limb(canvas, knee, ankle, 3.0 * u * width, 2.3 * u * width, color)
    return ankles


def _torso(canvas: Canvas, frame: Frame, outfit: Outfit, look: Look) -> None:
    canvas.draw.polygon(frame.outline([(10.5, 80), (7.8, 62), (9.3, 50)]), fill=look.skin)
    if outfit.dress is not None:
        _dress(canvas, frame, outfit.dress, look)
        return
    bottom = outfit.bottom
    if bottom is not None:
        # A skirt flares to the knee; trousers only need their waistband here, the legs draw the rest.
        rows: list[tuple[float, float]] = (
            [(8.4, 58), (12.0, 32)] if bottom.kind == "skirt" else [(8.3, 58), (9.8, 47)]
        )
        fill_shape(canvas, frame.outline(rows), bottom.color, bottom.pattern, frame.u)
    top = outfit.top
    shoulder = 8.0 if top.kind == "tank" else 10.9
    rows = [(shoulder, 79.5), (8.0, 62.0), (9.0, 64.0 if top.kind == "crop" else 54.0)]
    fill_shape(canvas, frame.outline(rows), top.color, top.pattern, frame.u)
    _neckline(canvas, frame, look, top.kind)
    if frame.view == "back":
        # The back of a top: shoulder-blade folds where the front has a neckline.
        for side in (-1, 1):
            canvas.draw.line([frame.p(side, 3.5, 75), frame.p(side, 5.5, 67)], fill=shade(top.color, -0.28),
                             width=max(1, int(frame.u * 0.7)))  # fmt: skip


def _dress(canvas: Canvas, frame: Frame, dress: Garment, look: Look) -> None:
    fill_shape(canvas, frame.outline([(10.8, 79), (7.9, 62)]), dress.color, dress.pattern, frame.u)
    skirt: list[tuple[float, float]]
    if dress.kind in ("jumpsuit", "romper"):
        skirt = [(8.0, 63), (9.6, 48)]  # the legs carry on in the dress colour
    else:
        skirt = [(8.0, 63), (15.0, 3.0)] if dress.kind == "gown" else [(8.0, 63), (12.5, 28.0)]
    fill_shape(canvas, frame.outline(skirt), dress.color, dress.pattern, frame.u)
    _neckline(canvas, frame, look, dress.kind)


def _neckline(canvas: Canvas, frame: Frame, look: Look, kind: str) -> None:
    if frame.view in ("back", "profile") or kind in ("sweater", "jumpsuit"):
        return
    depth = 75.0 if kind in ("shirt", "tank", "dress", "gown") else 77.5
    canvas.draw.polygon(
        [frame.p(-1, 3.2, 80), frame.p(1, 3.2, 80), (frame.x(1, 0.0), frame.y(depth))], fill=look.skin
    )
