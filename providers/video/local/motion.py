"""Camera motion as ``zoompan`` expressions. Every move is a function of the output frame number ``on`` only,
so a render is the same frame for frame each time; ``pace`` scales how far the camera travels in the clip
and ``seed`` moves the focal point and the orbit's starting angle a little, so two seeds differ visibly."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from domain.video import Motion, Pace

PACE_SPEED: dict[str, float] = {"slow": 0.55, "normal": 1.0, "fast": 1.6}
_ZOOM_RANGE = 0.2  # How much a normal-pace zoom magnifies over the clip.
_PAN_ZOOM = 1.2  # Pans run magnified so there is picture beyond the frame to travel over.


@dataclass(frozen=True)
class CameraPath:
    zoom: str
    x: str
    y: str


def seed_offsets(seed: int) -> tuple[float, float, float]:
    """Focal point (fraction of width and height, near the centre) and orbit phase (radians) for a seed."""
    digest = hashlib.sha256(f"video-motion:{seed}".encode()).digest()
    fx = 0.5 + (digest[0] / 255 - 0.5) * 0.16
    fy = 0.45 + (digest[1] / 255 - 0.5) * 0.16
    phase = digest[2] / 255 * 2 * math.pi
    return fx, fy, phase


def camera_path(motion: Motion, pace: Pace, seed: int, frames: int) -> CameraPath:
    """The zoom and top-left corner of the visible window for each output frame."""
    speed = PACE_SPEED[pace]
    fx, fy, phase = seed_offsets(seed)
    last = max(frames - 1, 1)
    progress = f"(on/{last})"
    eased = f"({progress}*{progress}*(3-2*{progress}))"  # smoothstep: the camera starts and stops gently
    # zoompan clamps x and y into the picture, so focusing near an edge cannot show outside the image.
    centred_x, centred_y = f"({fx:.4f}*iw-iw/zoom/2)", f"({fy:.4f}*ih-ih/zoom/2)"
    if motion == "zoom_in":
        return CameraPath(f"1+{_ZOOM_RANGE * speed:.4f}*{eased}", centred_x, centred_y)
    if motion == "zoom_out":
        return CameraPath(f"1+{_ZOOM_RANGE * speed:.4f}*(1-{eased})", centred_x, centred_y)
    if motion in ("pan_left", "pan_right"):
        travel = min(1.0, 0.6 * speed)  # share of the spare width crossed in the clip
        start, end = 0.5 + travel / 2, 0.5 - travel / 2  # pan_left: the window moves from right to left
        if motion == "pan_right":
            start, end = end, start
        position = f"({start:.4f}+({end - start:.4f})*{eased})"
        return CameraPath(f"{_PAN_ZOOM:.4f}", f"(iw-iw/zoom)*{position}", centred_y)
    # orbit: a slow elliptical drift around the focal point with a gentle breathing zoom.
    sweep = math.pi * speed
    angle = f"({phase:.4f}+{sweep:.4f}*{progress})"
    zoom = f"1.14+{0.03 * speed:.4f}*sin({angle})"
    x = f"(iw-iw/zoom)*({fx:.4f}+0.35*cos({angle}))"
    y = f"(ih-ih/zoom)*({fy:.4f}+0.35*sin({angle}))"
    return CameraPath(zoom, x, y)
