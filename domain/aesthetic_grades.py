"""The ten aesthetic grade presets. The config endpoint serves them and the local image renderer applies
their colour grading, so one table keeps what we advertise and what we draw in step."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class ColorGrading(BaseModel):
    """Parameters of a colour grade; 1.0 (or 0 for shifts) leaves the image unchanged."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    brightness: float = Field(1.0, description="Multiplier on luminance")
    contrast: float = Field(1.0, description="Multiplier on contrast around mid-grey")
    saturation: float = Field(1.0, description="Multiplier on colour saturation")
    temperature: float = Field(0.0, ge=-1, le=1, description="-1 cool (blue) .. +1 warm (amber)")
    tint: float = Field(0.0, ge=-1, le=1, description="-1 green .. +1 magenta")
    fade: float = Field(0.0, ge=0, le=1, description="Lifts blacks toward grey, as in matte film looks")
    vignette: float = Field(0.0, ge=0, le=1, description="Darkening of the corners")
    grain: float = Field(0.0, ge=0, le=1, description="Film grain strength (seeded, deterministic)")
    shadow_tint: tuple[int, int, int] = Field((0, 0, 0), description="RGB added to shadows")
    highlight_tint: tuple[int, int, int] = Field((0, 0, 0), description="RGB added to highlights")


class AestheticGrade(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    id: str
    name: str
    description: str
    prompt_modifiers: list[str]
    color_grading: ColorGrading


AESTHETIC_GRADES: tuple[AestheticGrade, ...] = (
    AestheticGrade(
        id="natural",
        name="Natural",
        description="True-to-life colour, soft contrast; the default for everyday posts.",
        prompt_modifiers=["natural light", "true-to-life colors", "candid"],
        color_grading=ColorGrading(),
    ),
    AestheticGrade(
        id="golden_hour",
        name="Golden Hour",
        description="Warm, glowing light of the hour before sunset.",
        prompt_modifiers=["golden hour", "warm backlight", "soft glow", "long shadows"],
        color_grading=ColorGrading(
            brightness=1.05, contrast=1.05, saturation=1.15, temperature=0.55, highlight_tint=(30, 18, 0)
        ),
    ),
    AestheticGrade(
        id="film_35mm",
        name="35mm Film",
        description="Analogue film look: lifted blacks, gentle grain, slightly muted colour.",
        prompt_modifiers=["shot on 35mm film", "kodak portra", "film grain"],
        color_grading=ColorGrading(
            contrast=0.92, saturation=0.9, temperature=0.15, fade=0.18, grain=0.35, shadow_tint=(8, 4, 12)
        ),
    ),
    AestheticGrade(
        id="moody_noir",
        name="Moody Noir",
        description="Dark, contrasty, nearly monochrome with cool shadows.",
        prompt_modifiers=["moody", "low key lighting", "dramatic shadows", "noir"],
        color_grading=ColorGrading(
            brightness=0.82, contrast=1.35, saturation=0.25, temperature=-0.2, vignette=0.5, grain=0.2
        ),
    ),
    AestheticGrade(
        id="pastel_dream",
        name="Pastel Dream",
        description="Airy, bright, low-contrast pastels.",
        prompt_modifiers=["pastel palette", "airy", "dreamy", "soft focus"],
        color_grading=ColorGrading(
            brightness=1.12, contrast=0.8, saturation=0.75, tint=0.15, fade=0.25, highlight_tint=(12, 6, 16)
        ),
    ),
    AestheticGrade(
        id="vibrant_pop",
        name="Vibrant Pop",
        description="Punchy saturated colour for bold, energetic feeds.",
        prompt_modifiers=["vibrant colors", "high energy", "bold", "pop art palette"],
        color_grading=ColorGrading(brightness=1.04, contrast=1.2, saturation=1.45),
    ),
    AestheticGrade(
        id="cool_minimal",
        name="Cool Minimal",
        description="Clean, cool, slightly desaturated Scandinavian minimalism.",
        prompt_modifiers=["minimalist", "clean lines", "cool tones", "negative space"],
        color_grading=ColorGrading(brightness=1.06, saturation=0.8, temperature=-0.4, shadow_tint=(0, 6, 14)),
    ),
    AestheticGrade(
        id="vintage_fade",
        name="Vintage Fade",
        description="Washed-out seventies print with warm highlights and green shadows.",
        prompt_modifiers=["vintage", "retro", "faded print", "1970s"],
        color_grading=ColorGrading(
            contrast=0.85,
            saturation=0.7,
            temperature=0.3,
            tint=-0.15,
            fade=0.35,
            shadow_tint=(0, 14, 6),
            highlight_tint=(20, 12, 0),
            grain=0.25,
        ),
    ),
    AestheticGrade(
        id="cinematic_teal_orange",
        name="Cinematic Teal & Orange",
        description="Blockbuster grade: teal shadows, orange skin tones, strong contrast.",
        prompt_modifiers=["cinematic", "anamorphic", "teal and orange grade", "film still"],
        color_grading=ColorGrading(
            contrast=1.2, saturation=1.1, shadow_tint=(0, 22, 30), highlight_tint=(34, 14, 0), vignette=0.3
        ),
    ),
    AestheticGrade(
        id="black_and_white",
        name="Black & White",
        description="Classic monochrome with rich contrast.",
        prompt_modifiers=["black and white photography", "monochrome", "high contrast"],
        color_grading=ColorGrading(contrast=1.25, saturation=0.0, grain=0.15),
    ),
)

GRADES_BY_ID: dict[str, AestheticGrade] = {grade.id: grade for grade in AESTHETIC_GRADES}
DEFAULT_GRADE_ID = "natural"


def get_grade(grade_id: str | None) -> AestheticGrade:
    """The grade by id, the default when none is given. Callers validate ids before they get here."""
    return GRADES_BY_ID[grade_id or DEFAULT_GRADE_ID]
