"""The figure's head: neck, face by view, and hair in two layers (behind the body, over the head)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from providers.images.local.colors import RGB, shade
from providers.images.local.outfit import Look
from providers.images.local.shapes import Canvas, ellipse, limb

if TYPE_CHECKING:
    from providers.images.local.figure import Frame

INK: RGB = (40, 28, 26)
LIPS: RGB = (156, 62, 62)
# How far down the back each hair style falls, in body units above the feet.
HAIR_LENGTH = {"long": 68.0, "curly": 78.0, "bob": 83.0}


def head_geometry(frame: Frame) -> tuple[float, float, float, float]:
    """Centre x, centre y, x radius, y radius of the head in pixels."""
    hx = frame.cx + frame.shift * 1.5
    return hx, frame.y(90.5), (5.0 if frame.view == "profile" else 5.3) * frame.u, 6.6 * frame.u


def _line(canvas: Canvas, points: list[tuple[float, float]], color: RGB, width: float) -> None:
    canvas.draw.line(points, fill=color, width=max(1, int(width)))


def draw_head(canvas: Canvas, frame: Frame, look: Look) -> None:
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    limb(canvas, (frame.x(0, 0), frame.y(79)), (hx, frame.y(85)), 2.0 * u, 1.9 * u, shade(look.skin, -0.08))
    if frame.view in ("front", "back"):
        for side in (-1, 1):
            ellipse(canvas, (hx + side * rx, hy + 0.3 * u), 1.0 * u, 1.5 * u, shade(look.skin, -0.06))
    ellipse(canvas, (hx, hy), rx, ry, look.skin)
    if frame.view == "profile":
        _profile_face(canvas, frame, look)
    elif frame.view != "back":
        _front_face(canvas, frame, look)


def _profile_face(canvas: Canvas, frame: Frame, look: Look) -> None:
    u, f = frame.u, frame.facing
    hx, hy, rx, _ = head_geometry(frame)
    tip = (hx + f * (rx + 1.4 * u), hy + 0.9 * u)
    nose = [(hx + f * rx * 0.9, hy - 1.4 * u), tip, (hx + f * rx * 0.92, hy + 1.6 * u)]
    canvas.draw.polygon(nose, fill=look.skin)
    ellipse(canvas, (hx + f * 3.1 * u, hy - 0.4 * u), 0.55 * u, 0.7 * u, INK)
    _line(
        canvas,
        [(hx + f * 2.4 * u, hy - 1.7 * u), (hx + f * 3.9 * u, hy - 1.9 * u)],
        shade(look.hair, -0.2),
        u / 2,
    )
    _line(canvas, [(hx + f * 3.6 * u, hy + 3.3 * u), (hx + f * 4.6 * u, hy + 3.1 * u)], LIPS, u * 0.6)
    ellipse(canvas, (hx - f * 0.6 * u, hy + 0.3 * u), 1.1 * u, 1.6 * u, shade(look.skin, -0.08))


def _front_face(canvas: Canvas, frame: Frame, look: Look) -> None:
    u, f = frame.u, frame.facing
    hx, hy, _, _ = head_geometry(frame)
    # Front: eyes either side of the centre; three-quarter: both slide toward the facing side.
    turned = frame.view == "three_quarter"
    offset = f * 1.4 * u if turned else 0.0
    for side, gap in zip((-1, 1), (1.6, 2.0) if turned else (2.1, 2.1), strict=True):
        eye_x = hx + offset + side * gap * u
        ellipse(canvas, (eye_x, hy - 0.4 * u), 0.6 * u, 0.75 * u, INK)
        brow = [(eye_x - 0.9 * u, hy - 1.9 * u), (eye_x + 0.9 * u, hy - 2.1 * u)]
        _line(canvas, brow, shade(look.hair, -0.2), u * 0.45)
    nose_x = hx + offset + (f * 1.1 * u if turned else 0.0)
    _line(canvas, [(nose_x, hy), (nose_x + f * 0.5 * u, hy + 1.6 * u)], shade(look.skin, -0.08), u * 0.4)
    mouth = (hx + offset - 1.2 * u, hy + 2.6 * u, hx + offset + 1.2 * u, hy + 3.8 * u)
    canvas.draw.arc(mouth, 10, 170, fill=LIPS, width=max(1, int(u * 0.5)))


def hair_back(canvas: Canvas, frame: Frame, look: Look) -> None:
    """Hair that hangs behind the body, drawn before it; nothing here for a figure seen from behind."""
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    behind = -frame.facing if frame.view in ("three_quarter", "profile") else 0
    if frame.view == "back":
        return
    if look.hair_style == "long":
        box = (hx - rx * 1.35 + behind * u, hy - ry * 1.05, hx + rx * 1.35 + behind * u, frame.y(70))
        canvas.draw.rounded_rectangle(box, radius=int(rx), fill=look.hair)
    elif look.hair_style == "curly":
        ellipse(canvas, (hx + behind * 1.5 * u, hy + 1.5 * u), rx * 1.55, ry * 1.35, look.hair)
    elif look.hair_style == "bob":
        ellipse(canvas, (hx + behind * u, hy + 0.8 * u), rx * 1.3, ry * 1.1, look.hair)
    elif look.hair_style == "ponytail" and behind:
        tie, tip = (hx + behind * rx * 0.9, hy - 1.5 * u), (hx + behind * rx * 1.5, frame.y(78))
        limb(canvas, tie, tip, 1.8 * u, 1.1 * u, look.hair)


def hair_over(canvas: Canvas, frame: Frame, look: Look) -> None:
    """Hair over the head, drawn after the face: a cap and fringe, or all of it from behind."""
    if frame.view == "back":
        _hair_from_behind(canvas, frame, look)
        return
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    behind = -frame.facing if frame.view in ("three_quarter", "profile") else 0
    canvas.draw.chord(
        (hx - rx * 1.08, hy - ry * 1.12, hx + rx * 1.08, hy + ry * 0.5), 180, 360, fill=look.hair
    )
    if behind:
        # Turned away on one side: the back of the head shows hair, the face side stays clear.
        profile = frame.view == "profile"
        centre = (hx + behind * (2.6 if profile else 2.8) * u, hy - 0.4 * u)
        ellipse(canvas, centre, (4.3 if profile else 3.4) * u, ry * 0.92, look.hair)
    if look.hair_style == "bun":
        ellipse(canvas, (hx + behind * 2.0 * u, hy - ry * 1.05), rx * 0.5, ry * 0.4, shade(look.hair, -0.1))
    elif look.hair_style in ("long", "curly") and frame.view == "front":
        for side in (-1, 1):
            x = hx + side * rx * 0.86
            canvas.draw.rectangle((x - 0.9 * u, hy - ry * 0.4, x + 0.9 * u, hy + ry * 0.6), fill=look.hair)


def _hair_from_behind(canvas: Canvas, frame: Frame, look: Look) -> None:
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    ellipse(canvas, (hx, hy), rx * 1.08, ry * 1.05, look.hair)
    bottom = HAIR_LENGTH.get(look.hair_style)
    if bottom is not None:
        wide = 1.5 if look.hair_style == "curly" else 1.3
        box = (hx - rx * wide, hy - ry * 0.6, hx + rx * wide, frame.y(bottom))
        canvas.draw.rounded_rectangle(box, radius=int(rx * 0.8), fill=look.hair)
    elif look.hair_style == "ponytail":
        limb(canvas, (hx, hy), (hx, frame.y(74)), 1.9 * u, 1.2 * u, look.hair)
    if look.hair_style == "bun":
        ellipse(canvas, (hx, hy - ry * 0.75), rx * 0.55, ry * 0.45, shade(look.hair, -0.1))
