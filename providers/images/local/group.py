"""Several people in one picture: each figure gets its own column of the stage, its own look and outfit.

The stage is cut into one equal column per figure, in the request's order from the viewer's left. A figure
is sized so that even raised or akimbo arms stay inside its column, and it is drawn on a scratch copy of
which only its column is kept, so no figure ever paints over another. The member in front stands a little
nearer (lower feet, larger) and faces the camera; the others turn three-quarters toward the side the
request says they face.
"""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from domain.seeds import seeded_random, stable_seed
from providers.images.base import ImageFigure
from providers.images.local.figure import Frame, draw_figure
from providers.images.local.outfit import build_look, build_outfit
from providers.images.local.scene import ScenePlan
from providers.images.local.shapes import Canvas

# Half the widest a figure reaches (an arm on the hip, a gown's hem, a hand) is about 24 body units; 56
# units per column leaves a margin on both sides.
UNITS_PER_COLUMN = 56.0
# Height of a standing figure in units is about 100; the front figure stands nearer and so larger.
FRONT_HEIGHT_SHARE, BESIDE_HEIGHT_SHARE = 0.0072, 0.0066


def group_frames(size: tuple[int, int], figures: list[ImageFigure]) -> list[Frame]:
    """One frame per figure, centred in its own column."""
    width, height = size
    column = width / len(figures)
    frames = []
    for index, figure in enumerate(figures):
        front = figure.role == "front"
        share = FRONT_HEIGHT_SHARE if front else BESIDE_HEIGHT_SHARE
        unit = min(height * share, column / UNITS_PER_COLUMN * (1.0 if front else 0.92))
        frames.append(
            Frame(
                cx=column * (index + 0.5),
                feet=height * (0.95 if front else 0.915),
                u=unit,
                view="front" if figure.facing == "camera" else "three_quarter",
                facing=1 if figure.facing == "right" else -1,
            )
        )
    return frames


def column_box(size: tuple[int, int], count: int, index: int) -> tuple[int, int, int, int]:
    width, height = size
    return (round(width * index / count), 0, round(width * (index + 1) / count), height)


def draw_group(image: Image.Image, plan: ScenePlan, figures: list[ImageFigure]) -> Image.Image:
    """``image`` with every figure drawn in its column; the figures behind first, the one in front last."""
    frames = group_frames(image.size, figures)
    order = sorted(range(len(figures)), key=lambda i: figures[i].role == "front")
    for index in order:
        figure, frame = figures[index], frames[index]
        layer = image.copy()
        # Each figure's pose depends on who they are and on the picture, not on the others' draws.
        rng = seeded_random("group-figure", plan.seed, figure.seed, index)
        # What their wardrobe leaves open is filled per person, so two members are not dressed alike.
        own_plan = replace(plan, seed=stable_seed("outfit", plan.seed, figure.seed))
        draw_figure(
            Canvas.on(layer),
            frame,
            build_outfit(figure.wardrobe, own_plan, figure.prompt),
            build_look(figure.prompt, figure.seed),
            rng,
            plan.light_x,
            plan.time == "evening",
        )
        box = column_box(image.size, len(figures), index)
        image.paste(layer.crop(box), box[:2])
    return image
