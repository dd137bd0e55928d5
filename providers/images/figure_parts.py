"""Head, face, hair, shoes and accessories of the figure; what shows of each depends on the view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from providers.images.colors import RGB, shade
from providers.images.outfit import Garment, Look
from providers.images.shapes import Canvas, Point, ellipse, fill_shape, limb

if TYPE_CHECKING:
    from providers.images.figure import Frame

INK: RGB = (40, 28, 26)
# Accessories the camera cannot see from some views: no sunglasses on the back of a head.
HIDDEN_FROM: dict[str, frozenset[str]] = {
    "sunglasses": frozenset({"back"}),
    "necklace": frozenset({"back"}),
    "earrings": frozenset({"three_quarter", "profile", "back"}),
}


def head_geometry(frame: Frame) -> tuple[float, float, float, float]:
    """Centre x, centre y, x radius, y radius of the head in pixels."""
    u = frame.u
    hx = frame.cx + frame.shift * 1.5
    return hx, frame.y(90.5), (5.0 if frame.view == "profile" else 5.3) * u, 6.6 * u


def draw_head(canvas: Canvas, frame: Frame, look: Look) -> None:
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    limb(canvas, (frame.x(0, 0), frame.y(79)), (hx, frame.y(85)), 2.0 * u, 1.9 * u, shade(look.skin, -0.08))
    if frame.view in ("front", "back"):
        for side in (-1, 1):
            ellipse(canvas, (hx + side * rx, hy + 0.3 * u), 1.0 * u, 1.5 * u, shade(look.skin, -0.06))
    ellipse(canvas, (hx, hy), rx, ry, look.skin)
    if frame.view == "back":
        return
    f = frame.facing
    brow = shade(look.hair, -0.2)
    cheek = shade(look.skin, -0.08)
    if frame.view == "profile":
        canvas.draw.polygon(
            [
                (hx + f * rx * 0.9, hy - 1.4 * u),
                (hx + f * (rx + 1.4 * u), hy + 0.9 * u),
                (hx + f * rx * 0.92, hy + 1.6 * u),
            ],
            fill=look.skin,
        )
        ellipse(canvas, (hx + f * 3.1 * u, hy - 0.4 * u), 0.55 * u, 0.7 * u, INK)
        canvas.draw.line(
            [(hx + f * 2.4 * u, hy - 1.7 * u), (hx + f * 3.9 * u, hy - 1.9 * u)],
            fill=brow,
            width=max(1, int(u * 0.5)),
        )
        canvas.draw.line(
            [(hx + f * 3.6 * u, hy + 3.3 * u), (hx + f * 4.6 * u, hy + 3.1 * u)],
            fill=(150, 60, 60),
            width=max(1, int(u * 0.6)),
        )
        ellipse(canvas, (hx - f * 0.6 * u, hy + 0.3 * u), 1.1 * u, 1.6 * u, cheek)
        return
    # Front: eyes either side of the centre; three-quarter: both slide toward the facing side.
    offset = f * 1.4 * u if frame.view == "three_quarter" else 0.0
    spread = (1.6, 2.0) if frame.view == "three_quarter" else (2.1, 2.1)
    for side, gap in zip((-1, 1), spread, strict=True):
        eye_x = hx + offset + side * gap * u
        ellipse(canvas, (eye_x, hy - 0.4 * u), 0.6 * u, 0.75 * u, INK)
        canvas.draw.line(
            [(eye_x - 0.9 * u, hy - 1.9 * u), (eye_x + 0.9 * u, hy - 2.1 * u)],
            fill=brow,
            width=max(1, int(u * 0.45)),
        )
    nose_x = hx + offset + (f * 1.1 * u if frame.view == "three_quarter" else 0.0)
    canvas.draw.line(
        [(nose_x, hy), (nose_x + f * 0.5 * u, hy + 1.6 * u)], fill=cheek, width=max(1, int(u * 0.4))
    )
    mouth = (hx + offset - 1.2 * u, hy + 2.6 * u, hx + offset + 1.2 * u, hy + 3.8 * u)
    canvas.draw.arc(mouth, 10, 170, fill=(160, 64, 64), width=max(1, int(u * 0.5)))


def hair_behind(canvas: Canvas, frame: Frame, look: Look, back_layer: bool) -> None:
    """Long hair behind the body (``back_layer``), or the hair over the head once the face is drawn."""
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    hair = look.hair
    style = look.hair_style
    behind = -frame.facing if frame.view in ("three_quarter", "profile") else 0
    if back_layer:
        if frame.view == "back":
            return
        if style == "long":
            canvas.draw.rounded_rectangle(
                (hx - rx * 1.35 + behind * u, hy - ry * 1.05, hx + rx * 1.35 + behind * u, frame.y(70)),
                radius=int(rx),
                fill=hair,
            )
        elif style == "curly":
            ellipse(canvas, (hx + behind * 1.5 * u, hy + 1.5 * u), rx * 1.55, ry * 1.35, hair)
        elif style == "bob":
            ellipse(canvas, (hx + behind * u, hy + 0.8 * u), rx * 1.3, ry * 1.1, hair)
        elif style == "ponytail" and behind:
            limb(
                canvas,
                (hx + behind * rx * 0.9, hy - 1.5 * u),
                (hx + behind * rx * 1.5, frame.y(78)),
                1.8 * u,
                1.1 * u,
                hair,
            )
        return
    if frame.view == "back":
        ellipse(canvas, (hx, hy), rx * 1.08, ry * 1.05, hair)
        bottom = {"long": 68.0, "curly": 78.0, "bob": 83.0}.get(style)
        if bottom is not None:
            wide = 1.5 if style == "curly" else 1.3
            canvas.draw.rounded_rectangle(
                (hx - rx * wide, hy - ry * 0.6, hx + rx * wide, frame.y(bottom)),
                radius=int(rx * 0.8),
                fill=hair,
            )
        elif style == "ponytail":
            limb(canvas, (hx, hy), (hx, frame.y(74)), 1.9 * u, 1.2 * u, hair)
        if style == "bun":
            ellipse(canvas, (hx, hy - ry * 0.75), rx * 0.55, ry * 0.45, shade(hair, -0.1))
        return
    canvas.draw.chord((hx - rx * 1.08, hy - ry * 1.12, hx + rx * 1.08, hy + ry * 0.5), 180, 360, fill=hair)
    if behind:
        ellipse(
            canvas,
            (hx + behind * (2.6 if frame.view == "profile" else 2.8) * u, hy - 0.4 * u),
            (4.3 if frame.view == "profile" else 3.4) * u,
            ry * 0.92,
            hair,
        )
    if style == "bun":
        ellipse(canvas, (hx + behind * 2.0 * u, hy - ry * 1.05), rx * 0.5, ry * 0.4, shade(hair, -0.1))
    elif style in ("long", "curly") and frame.view == "front":
        for side in (-1, 1):
            canvas.draw.rectangle(
                (
                    hx + side * rx * 0.86 - 0.9 * u,
                    hy - ry * 0.4,
                    hx + side * rx * 0.86 + 0.9 * u,
                    hy + ry * 0.6,
                ),
                fill=hair,
            )


def draw_shoes(canvas: Canvas, frame: Frame, shoes: Garment, ankles: list[Point]) -> None:
    u = frame.u
    reach = frame.facing * 1.5 * u if frame.view in ("three_quarter", "profile") else 0.0
    long_foot = 1.45 if frame.view == "profile" else 1.0
    for x, y in ankles:
        if shoes.kind == "boots":
            limb(canvas, (x, y - 11 * u), (x, y), 2.7 * u, 2.4 * u, shoes.color)
        foot_rx = (2.0 if shoes.kind == "heels" else 2.6) * u * long_foot
        ellipse(canvas, (x + reach, y + 1.4 * u), foot_rx, 1.6 * u, shoes.color)
        if shoes.kind == "heels":
            canvas.draw.line(
                [(x - reach, y + 1.2 * u), (x - reach, y + 3.2 * u)],
                fill=shade(shoes.color, -0.3),
                width=max(1, int(u * 0.7)),
            )
        else:
            canvas.draw.line(
                [(x + reach - foot_rx * 0.9, y + 2.6 * u), (x + reach + foot_rx * 0.9, y + 2.6 * u)],
                fill=shade(shoes.color, 0.5),
                width=max(1, int(u * 0.5)),
            )


def draw_accessories(canvas: Canvas, frame: Frame, items: list[Garment], hand: Point) -> None:
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    f = frame.facing if frame.view in ("three_quarter", "profile") else 0
    for item in items:
        if frame.view in HIDDEN_FROM.get(item.kind, frozenset()):
            continue
        color, dark = item.color, shade(item.color, -0.3)
        if item.kind == "hat":
            ellipse(canvas, (hx, hy - ry * 0.72), rx * 1.9, 1.5 * u, color)
            canvas.draw.rounded_rectangle(
                (hx - rx * 0.95, hy - ry * 1.5, hx + rx * 0.95, hy - ry * 0.7),
                radius=int(u * 1.5),
                fill=color,
            )
            canvas.draw.rectangle((hx - rx * 0.95, hy - ry * 0.95, hx + rx * 0.95, hy - ry * 0.78), fill=dark)
        elif item.kind in ("cap", "beanie"):
            canvas.draw.chord(
                (hx - rx * 1.1, hy - ry * 1.25, hx + rx * 1.1, hy + ry * 0.1), 180, 360, fill=color
            )
            if item.kind == "cap" and frame.view != "back":
                ellipse(canvas, (hx + f * rx * 0.9, hy - ry * 0.55), rx * (0.8 if f else 1.1), 1.0 * u, dark)
        elif item.kind == "sunglasses":
            centers = (
                [hx + f * 3.1 * u]
                if frame.view == "profile"
                else [hx + f * 1.4 * u + side * (2.0 if not f else 1.8) * u for side in (-1, 1)]
            )
            for cx in centers:
                canvas.draw.rounded_rectangle(
                    (cx - 1.4 * u, hy - 1.4 * u, cx + 1.4 * u, hy + 0.6 * u),
                    radius=int(u * 0.6),
                    fill=shade(color, -0.55),
                )
        elif item.kind == "bag":
            strap_from = frame.p(-1, 7.5, 79)
            bag_at = frame.p(1, 10.5, 50)
            canvas.draw.line([strap_from, bag_at], fill=dark, width=max(1, int(u * 0.8)))
            canvas.draw.rounded_rectangle(
                (bag_at[0] - 3.4 * u, bag_at[1] - 2.5 * u, bag_at[0] + 3.4 * u, bag_at[1] + 3.5 * u),
                radius=int(u),
                fill=color,
            )
        elif item.kind == "scarf":
            canvas.draw.rounded_rectangle(
                (frame.x(-1, 4.6), frame.y(83), frame.x(1, 4.6), frame.y(79.5)), radius=int(u), fill=color
            )
            limb(canvas, frame.p(1, 2.5, 80), frame.p(1, 3.5, 66), 1.5 * u, 1.3 * u, dark)
        elif item.kind == "necklace":
            canvas.draw.arc(
                (frame.x(-1, 3.2), frame.y(82), frame.x(1, 3.2), frame.y(75)),
                20,
                160,
                fill=color,
                width=max(1, int(u * 0.6)),
            )
        elif item.kind == "belt":
            canvas.draw.rectangle(
                (frame.x(-1, 8.4), frame.y(57.5), frame.x(1, 8.4), frame.y(55.5)), fill=color
            )
        elif item.kind == "watch":
            ellipse(canvas, hand, 1.2 * u, 1.2 * u, color)
        elif item.kind == "earrings":
            for side in (-1, 1):
                ellipse(canvas, (hx + side * rx, hy + 2.2 * u), 0.6 * u, 0.6 * u, color)
        else:
            ellipse(canvas, frame.p(-1, 5.0, 72), 2.2 * u, 2.2 * u, color)


def draw_outerwear(canvas: Canvas, frame: Frame, coat: Garment) -> None:
    u = frame.u
    hem = {"coat": 26.0}.get(coat.kind, 47.0)
    width_at_hem = 11.5 if hem < 40 else 9.8
    if frame.view in ("back", "profile"):
        body = [
            frame.p(-1, 11.6, 80),
            frame.p(-1, 8.8, 62),
            frame.p(-1, width_at_hem, hem),
            frame.p(1, width_at_hem, hem),
            frame.p(1, 8.8, 62),
            frame.p(1, 11.6, 80),
        ]
        fill_shape(canvas, body, coat.color, coat.pattern, u)
        canvas.draw.line(
            [frame.p(0, 0, 79), frame.p(0, 0, hem)], fill=shade(coat.color, -0.3), width=max(1, int(u * 0.5))
        )
        return
    lapel = shade(coat.color, -0.22)
    for side in (-1, 1):
        panel = [
            frame.p(side, 11.6, 80),
            frame.p(side, 3.6, 80),
            frame.p(side, 4.6, hem),
            frame.p(side, width_at_hem, hem),
            frame.p(side, 8.8, 62),
        ]
        fill_shape(canvas, panel, coat.color, coat.pattern, u)
        canvas.draw.polygon(
            [frame.p(side, 3.6, 80), frame.p(side, 7.0, 79), frame.p(side, 4.2, 68)], fill=lapel
        )
