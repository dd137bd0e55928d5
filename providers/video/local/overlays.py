"""Text overlays drawn with Pillow's bundled font (no font file on disk, nothing downloaded): a hook in the
first seconds and a caption along the bottom, each a transparent PNG the size of its box, which ffmpeg lays
over the moving picture. Drawing text ourselves keeps ffmpeg's ``drawtext`` and its font lookup out of it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

_MAX_HOOK_LINES = 3
_MAX_CAPTION_LINES = 3
_CAPTION_CHARS = 160  # Captions can be 2,200 characters; the overlay carries only their opening.


@dataclass(frozen=True)
class Overlay:
    png: bytes
    x: int
    y: int
    width: int
    height: int


def _font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled scalable font (Pillow 10.1+ with FreeType, which its wheels include)."""
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType; text overlays need it")
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int, max_lines: int) -> list[str]:
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= max_width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;: ") + "..."
    # A single word wider than the box is cut rather than overflowing the frame.
    return [_fit(line, font, max_width) for line in lines]


def _fit(line: str, font: ImageFont.FreeTypeFont, max_width: int) -> str:
    while len(line) > 1 and font.getlength(line) > max_width:
        line = line[:-2] + "…" if line.endswith("…") else line[:-1]
    return line


def _box(lines: list[str], font_size: int, frame_width: int, *, opacity: int, stroke: int) -> tuple[bytes, int, int]:
    font = _font(font_size)
    padding = font_size // 2
    line_height = int(font_size * 1.25)
    text_width = max(int(font.getlength(line)) for line in lines)
    width = min(frame_width - 2 * (frame_width // 20), text_width + 2 * padding + 2 * stroke)
    height = line_height * len(lines) + 2 * padding
    width += width % 2  # Even sizes and positions keep the 4:2:0 chroma grid aligned.
    height += height % 2
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=padding, fill=(0, 0, 0, opacity))
    for index, line in enumerate(lines):
        line_width = font.getlength(line)
        draw.text(
            ((width - line_width) / 2, padding + index * line_height),
            line,
            font=font,
            fill=(255, 255, 255, 255),
            stroke_width=stroke,
            stroke_fill=(0, 0, 0, 255),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), width, height


def hook_overlay(text: str, frame_width: int, frame_height: int) -> Overlay | None:
    """Large text in the upper third, where a viewer's eye lands in the first second."""
    size = max(16, round(frame_width * 0.072))
    font = _font(size)
    lines = _wrap(text, font, int(frame_width * 0.8), _MAX_HOOK_LINES)
    if not lines:
        return None
    png, width, height = _box(lines, size, frame_width, opacity=150, stroke=max(1, size // 18))
    x = (frame_width - width) // 2 // 2 * 2
    y = int(frame_height * 0.16) // 2 * 2
    return Overlay(png, x, y, width, height)


def caption_overlay(text: str, frame_width: int, frame_height: int) -> Overlay | None:
    """Smaller text above the bottom edge, clear of the platforms' own buttons and captions."""
    snippet = " ".join(text.split())
    if len(snippet) > _CAPTION_CHARS:
        snippet = snippet[:_CAPTION_CHARS].rsplit(" ", 1)[0] + "..."
    size = max(12, round(frame_width * 0.042))
    font = _font(size)
    lines = _wrap(snippet, font, int(frame_width * 0.82), _MAX_CAPTION_LINES)
    if not lines:
        return None
    png, width, height = _box(lines, size, frame_width, opacity=120, stroke=max(1, size // 24))
    x = (frame_width - width) // 2 // 2 * 2
    y = (int(frame_height * 0.80) - height) // 2 * 2
    return Overlay(png, x, y, width, height)
