"""Shoes, outerwear and accessories of the figure; what shows of each depends on the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from providers.images.local.colors import shade
from providers.images.local.head import head_geometry
from providers.images.local.outfit import Garment
from providers.images.local.shapes import Canvas, Point, ellipse, fill_shape, limb

if TYPE_CHECKING:
    from providers.images.local.figure import Frame

# Accessories the camera cannot see from some views: no sunglasses on the back of a head.
HIDDEN_FROM: dict[str, frozenset[str]] = {
    "sunglasses": frozenset({"back"}),
    "necklace": frozenset({"back"}),
    "earrings": frozenset({"three_quarter", "profile", "back"}),
}


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
    for item in items:
        if frame.view in HIDDEN_FROM.get(item.kind, frozenset()):
            continue
        ACCESSORIES.get(item.kind, _badge)(canvas, frame, item, hand)


def _hat(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    u = frame.u
    hx, hy, rx, ry = head_geometry(frame)
    ellipse(canvas, (hx, hy - ry * 0.72), rx * 1.9, 1.5 * u, item.color)
    crown = (hx - rx * 0.95, hy - ry * 1.5, hx + rx * 0.95, hy - ry * 0.7)
    canvas.draw.rounded_rectangle(crown, radius=int(u * 1.5), fill=item.color)
    band = (hx - rx * 0.95, hy - ry * 0.95, hx + rx * 0.95, hy - ry * 0.78)
    canvas.draw.rectangle(band, fill=shade(item.color, -0.3))


def _cap(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    hx, hy, rx, ry = head_geometry(frame)
    canvas.draw.chord(
        (hx - rx * 1.1, hy - ry * 1.25, hx + rx * 1.1, hy + ry * 0.1), 180, 360, fill=item.color
    )
    if item.kind == "cap" and frame.view != "back":
        # The peak points where the face does: at the camera, or to the side the figure turns to.
        turn = frame.facing if frame.view in ("three_quarter", "profile") else 0
        peak = (hx + turn * rx * 0.9, hy - ry * 0.55)
        ellipse(canvas, peak, rx * (0.8 if turn else 1.1), frame.u, shade(item.color, -0.3))


def _sunglasses(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    u = frame.u
    hx, hy, _, _ = head_geometry(frame)
    if frame.view == "profile":
        centres = [hx + frame.facing * 3.1 * u]
    elif frame.view == "three_quarter":
        centres = [hx + frame.facing * 1.4 * u + side * 1.8 * u for side in (-1, 1)]
    else:
        centres = [hx + side * 2.0 * u for side in (-1, 1)]
    for cx in centres:
        lens = (cx - 1.4 * u, hy - 1.4 * u, cx + 1.4 * u, hy + 0.6 * u)
        canvas.draw.rounded_rectangle(lens, radius=int(u * 0.6), fill=shade(item.color, -0.55))


def _bag(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    u = frame.u
    x, y = frame.p(1, 10.5, 50)
    canvas.draw.line([frame.p(-1, 7.5, 79), (x, y)], fill=shade(item.color, -0.3), width=max(1, int(u * 0.8)))
    canvas.draw.rounded_rectangle(
        (x - 3.4 * u, y - 2.5 * u, x + 3.4 * u, y + 3.5 * u), radius=int(u), fill=item.color
    )


def _scarf(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    u = frame.u
    wrap = (frame.x(-1, 4.6), frame.y(83), frame.x(1, 4.6), frame.y(79.5))
    canvas.draw.rounded_rectangle(wrap, radius=int(u), fill=item.color)
    limb(canvas, frame.p(1, 2.5, 80), frame.p(1, 3.5, 66), 1.5 * u, 1.3 * u, shade(item.color, -0.3))


def _necklace(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    arc = (frame.x(-1, 3.2), frame.y(82), frame.x(1, 3.2), frame.y(75))
    canvas.draw.arc(arc, 20, 160, fill=item.color, width=max(1, int(frame.u * 0.6)))


def _belt(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    canvas.draw.rectangle((frame.x(-1, 8.4), frame.y(57.5), frame.x(1, 8.4), frame.y(55.5)), fill=item.color)


def _watch(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    ellipse(canvas, hand, 1.2 * frame.u, 1.2 * frame.u, item.color)


def _earrings(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    hx, hy, rx, _ = head_geometry(frame)
    for side in (-1, 1):
        ellipse(canvas, (hx + side * rx, hy + 2.2 * frame.u), 0.6 * frame.u, 0.6 * frame.u, item.color)


def _badge(canvas: Canvas, frame: Frame, item: Garment, hand: Point) -> None:
    """Anything we cannot draw as itself still shows its colour, as a round patch on the chest."""
    ellipse(canvas, frame.p(-1, 5.0, 72), 2.2 * frame.u, 2.2 * frame.u, item.color)


ACCESSORIES: dict[str, Callable[[Canvas, Frame, Garment, Point], None]] = {
    "hat": _hat, "cap": _cap, "beanie": _cap, "sunglasses": _sunglasses, "bag": _bag, "scarf": _scarf,
    "necklace": _necklace, "belt": _belt, "watch": _watch, "earrings": _earrings,
}  # fmt: skip


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
