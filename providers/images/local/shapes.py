"""Drawing primitives the figure and scene share: tapered limbs, patterned fills, soft blobs, gradients."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from providers.images.local.colors import RGB, mix, shade

Point = tuple[float, float]


@dataclass(frozen=True)
class Canvas:
    """The image and its drawer travel together, so helpers can both draw and paste."""

    image: Image.Image
    draw: ImageDraw.ImageDraw

    @classmethod
    def on(cls, image: Image.Image) -> Canvas:
        return cls(image, ImageDraw.Draw(image))


def limb(canvas: Canvas, a: Point, b: Point, wa: float, wb: float, fill: RGB) -> None:
    """A tapered segment with round ends; widths are half-widths in pixels."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    canvas.draw.polygon(
        [
            (a[0] + nx * wa, a[1] + ny * wa),
            (b[0] + nx * wb, b[1] + ny * wb),
            (b[0] - nx * wb, b[1] - ny * wb),
            (a[0] - nx * wa, a[1] - ny * wa),
        ],
        fill=fill,
    )
    canvas.draw.ellipse((a[0] - wa, a[1] - wa, a[0] + wa, a[1] + wa), fill=fill)
    canvas.draw.ellipse((b[0] - wb, b[1] - wb, b[0] + wb, b[1] + wb), fill=fill)


def ellipse(canvas: Canvas, center: Point, rx: float, ry: float, fill: RGB) -> None:
    canvas.draw.ellipse((center[0] - rx, center[1] - ry, center[0] + rx, center[1] + ry), fill=fill)


def fill_shape(canvas: Canvas, points: list[Point], color: RGB, pattern: str | None, unit: float) -> None:
    """A polygon in one colour, or with stripes/dots/checks clipped to it through a small mask."""
    if pattern is None:
        canvas.draw.polygon(points, fill=color)
        return
    x0 = int(min(x for x, _ in points))
    y0 = int(min(y for _, y in points))
    x1 = int(max(x for x, _ in points)) + 1
    y1 = int(max(y for _, y in points)) + 1
    size = (max(1, x1 - x0), max(1, y1 - y0))
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in points], fill=255)
    swatch = Image.new("RGB", size, color)
    ink = shade(color, -0.45) if sum(color) > 300 else shade(color, 0.55)
    pen = ImageDraw.Draw(swatch)
    step = max(3, int(unit * 2.4))
    if pattern == "stripes":
        for y in range(0, size[1], step):
            pen.rectangle((0, y, size[0], y + step // 2 - 1), fill=ink)
    elif pattern == "checks":
        for x in range(0, size[0], step * 2):
            pen.rectangle((x, 0, x + step - 1, size[1]), fill=shade(ink, 0.2))
        for y in range(0, size[1], step * 2):
            pen.rectangle((0, y, size[0], y + step - 1), fill=ink)
    else:
        radius = max(1, step // 4)
        for row, y in enumerate(range(0, size[1], step)):
            for x in range((row % 2) * step // 2, size[0], step):
                pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=ink)
    canvas.image.paste(swatch, (x0, y0), mask)


def soft_blob(canvas: Canvas, box: tuple[int, int, int, int], color: RGB, opacity: int, blur: float) -> None:
    """A blurred ellipse blended onto the image: shadows and glows.

    The mask is drawn and blurred at reduced scale, then enlarged: a blur this soft loses nothing, and
    a wide glow costs a fraction of a full-resolution Gaussian.
    """
    x0, y0, x1, y1 = box
    pad = int(blur * 2) + 1
    size = (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad)
    if size[0] <= 2 or size[1] <= 2:
        return
    scale = max(1, int(blur / 3))
    small = (max(1, size[0] // scale), max(1, size[1] // scale))
    mask = Image.new("L", small, 0)
    inset = pad / scale
    ImageDraw.Draw(mask).ellipse((inset, inset, small[0] - inset, small[1] - inset), fill=opacity)
    if blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(blur / scale))
    if scale > 1:
        mask = mask.resize(size, Image.Resampling.BILINEAR)
    canvas.image.paste(color, (x0 - pad, y0 - pad, x0 - pad + size[0], y0 - pad + size[1]), mask)


@lru_cache(maxsize=4)
def radial_mask(width: int, height: int) -> Image.Image:
    """0 at the centre rising to 255 toward the edges (clipped at the corners)."""
    return Image.radial_gradient("L").resize((width, height), Image.Resampling.BILINEAR)


def gradient_column(stops: list[tuple[int, RGB, RGB]]) -> list[RGB]:
    """Colours for a 1-pixel column: each stop is (rows, top colour, bottom colour)."""
    column: list[RGB] = []
    for rows, top, bottom in stops:
        span = max(1, rows - 1)
        column.extend(mix(top, bottom, row / span) for row in range(rows))
    return column


def column_image(column: list[RGB], width: int) -> Image.Image:
    """A full-width image from one column: a nearest-neighbour stretch is far cheaper than compositing."""
    strip = Image.new("RGB", (1, len(column)))
    strip.putdata(column)
    return strip.resize((width, len(column)), Image.Resampling.NEAREST)


def row_image(row: list[RGB], height: int) -> Image.Image:
    """A full-height image from one row, for horizontal gradients."""
    strip = Image.new("RGB", (len(row), 1))
    strip.putdata(row)
    return strip.resize((len(row), height), Image.Resampling.NEAREST)
