"""Prompt → scene plan: which place, what light, which palette and which abstract motifs to draw.

Known words pick a place and a time of day; every other content word hashes into a colour and a motif,
so two prompts that share no known word still give different pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.seeds import seeded_random, stable_seed
from providers.images.local.colors import COLOR_WORDS, RGB, find_colors, hashed_color, mix, shade, words
from providers.images.local.wardrobe_words import FIGURE_WORDS


@dataclass(frozen=True)
class Place:
    sky: tuple[RGB, RGB]
    ground: RGB
    horizon: float
    indoor: bool
    keywords: tuple[str, ...]


def _place(sky: tuple[RGB, RGB], ground: RGB, horizon: float, indoor: bool, keywords: str) -> Place:
    return Place(sky, ground, horizon, indoor, tuple(keywords.split()))


# fmt: off
PLACES: dict[str, Place] = {
    "beach": _place(((96, 170, 230), (200, 232, 246)), (232, 210, 160), 0.62, False,
                    "beach ocean sea shore coast surf surfing tropical island seaside waves bikini sand"),
    "city": _place(((110, 150, 200), (210, 220, 232)), (90, 92, 100), 0.7, False,
                   "city urban street downtown skyline rooftop nyc metropolis neon skyscraper traffic "
                   "sidewalk paris london tokyo york"),
    "cafe": _place(((196, 160, 120), (226, 204, 170)), (120, 84, 56), 0.72, True,
                   "cafe coffee latte espresso restaurant bistro brunch bakery croissant tea bar"),
    "forest": _place(((120, 170, 140), (196, 222, 190)), (70, 96, 50), 0.7, False,
                     "forest woods woodland hiking hike trail jungle trees nature pine camping"),
    "gym": _place(((70, 76, 86), (120, 126, 134)), (60, 60, 64), 0.74, True,
                  "gym workout fitness training crossfit weights lifting dumbbell boxing treadmill"),
    "studio": _place(((214, 210, 204), (176, 172, 168)), (160, 156, 152), 0.8, True,
                     "studio backdrop photoshoot editorial portrait headshot lookbook seamless"),
    "mountain": _place(((90, 150, 220), (210, 228, 240)), (96, 110, 80), 0.72, False,
                       "mountain mountains alps summit peak ski glacier valley cliff"),
    "park": _place(((120, 180, 230), (214, 236, 246)), (96, 160, 70), 0.66, False,
                   "park garden picnic meadow flowers flower field lawn bloom spring"),
    "home": _place(((226, 214, 198), (240, 232, 220)), (150, 120, 90), 0.76, True,
                   "home bedroom apartment living cozy couch sofa kitchen bed interior room"),
    "desert": _place(((120, 170, 220), (240, 220, 190)), (222, 180, 120), 0.64, False,
                     "desert dunes dune canyon sahara cactus arizona"),
}
# fmt: on

TIME_WORDS: dict[str, tuple[str, ...]] = {
    "morning": ("morning", "sunrise", "dawn", "breakfast", "early", "am"),
    "afternoon": ("afternoon", "noon", "midday", "daylight", "sunny", "day", "lunch"),
    "evening": ("evening", "sunset", "dusk", "golden", "twilight", "dinner"),
    "night": ("night", "midnight", "nighttime", "neon", "moon", "moonlight", "stars", "party", "club"),
}

# Sky colours by time of day for outdoor places; indoor places keep their walls and change the light.
TIME_SKY: dict[str, tuple[RGB, RGB]] = {
    "morning": ((150, 196, 236), (252, 222, 196)),
    "evening": ((70, 60, 130), (250, 150, 80)),
    "night": ((8, 12, 36), (30, 40, 86)),
}
LIGHT_COLOR: dict[str, RGB] = {
    "morning": (255, 236, 200),
    "afternoon": (255, 250, 236),
    "evening": (255, 170, 90),
    "night": (140, 160, 255),
}
WEATHER_WORDS: dict[str, tuple[str, ...]] = {
    "snow": ("snow", "snowy", "winter", "snowfall", "blizzard"),
    "rain": ("rain", "rainy", "storm", "drizzle", "umbrella"),
}
STOPWORDS = frozenset(
    "a an the and or of in on at to for with by from into over under near her his their its my our your "
    "is are was were be being been this that these those it as very some any photo picture image shot "
    "wearing wears woman man girl boy person influencer model she he they who while standing sitting "
    "looking walking posing pose full body high quality detailed realistic style aesthetic vibe vibes "
    "light lighting tones tone colors colours color colour background scene".split()
)
MOTIF_SHAPES = ("circle", "ring", "square", "triangle", "diamond", "bar")


@dataclass(frozen=True)
class Motif:
    shape: str
    x: float
    y: float
    size: float
    color: RGB
    angle: float


@dataclass(frozen=True)
class ScenePlan:
    place: str
    indoor: bool
    time: str
    sky: tuple[RGB, RGB]
    ground: RGB
    horizon: float
    accents: tuple[RGB, ...]
    light: RGB
    light_x: float
    motifs: tuple[Motif, ...]
    weather: str | None
    banned: frozenset[str] = field(default_factory=frozenset)
    seed: int = 0


def _pick_place(tokens: list[str]) -> str | None:
    scores: dict[str, tuple[int, int]] = {}
    for position, token in enumerate(tokens):
        for name, place in PLACES.items():
            if token in place.keywords:
                hits, first = scores.get(name, (0, position))
                scores[name] = (hits + 1, first)
    if not scores:
        return None
    # Most hits wins; on a tie the place named first in the prompt wins.
    return max(scores, key=lambda name: (scores[name][0], -scores[name][1]))


def _pick(table: dict[str, tuple[str, ...]], tokens: list[str]) -> str | None:
    for token in tokens:
        for name, keys in table.items():
            if token in keys:
                return name
    return None


def _known(token: str) -> bool:
    # Words that dress the figure or name a colour already act elsewhere; they make no motif.
    if token in STOPWORDS or len(token) < 3 or token in FIGURE_WORDS or token in COLOR_WORDS:
        return True
    if any(token in place.keywords for place in PLACES.values()):
        return True
    return any(token in keys for keys in (*TIME_WORDS.values(), *WEATHER_WORDS.values()))


def _motifs(unknown: list[str], seed: int) -> tuple[Motif, ...]:
    motifs = []
    for word in unknown[:8]:
        rng = seeded_random("motif", word, seed)
        motifs.append(
            Motif(
                shape=MOTIF_SHAPES[stable_seed("shape", word) % len(MOTIF_SHAPES)],
                x=rng.uniform(0.05, 0.95),
                y=rng.uniform(0.06, 0.5),
                size=rng.uniform(0.04, 0.13),
                color=hashed_color(word),
                angle=rng.uniform(0, 90),
            )
        )
    return tuple(motifs)


def _scene_words(tokens: list[str]) -> str:
    """The prompt without colours that describe the figure: "red dress" and "auburn hair" dress the
    person, they do not tint the sky."""
    kept = []
    for index, token in enumerate(tokens):
        if token in COLOR_WORDS and FIGURE_WORDS.intersection(tokens[index + 1 : index + 4]):
            continue
        kept.append(token)
    return " ".join(kept)


def plan_scene(prompt: str, seed: int, negative_prompt: str | None = None) -> ScenePlan:
    banned = frozenset(words(negative_prompt or ""))
    tokens = [token for token in words(prompt) if token not in banned]
    rng = seeded_random("scene", prompt, seed)
    place_name = _pick_place(tokens)
    unknown = list(dict.fromkeys(token for token in tokens if not _known(token)))
    time = _pick(TIME_WORDS, tokens) or "afternoon"
    weather = _pick(WEATHER_WORDS, tokens)
    named = [rgb for name, rgb in find_colors(_scene_words(tokens)) if name.split()[-1] not in banned]
    hashed = [hashed_color(word) for word in unknown]

    if place_name is None:
        # No known place: an abstract backdrop whose gradient comes from the prompt's own words.
        base = named + hashed or [hashed_color(prompt)]
        top = shade(base[0], -0.25)
        bottom = shade(base[1 % len(base)], 0.35)
        place = Place((top, bottom), shade(base[-1], -0.35), rng.uniform(0.68, 0.8), False, ())
        place_name = "abstract"
    else:
        place = PLACES[place_name]

    sky = place.sky
    if not place.indoor and time in TIME_SKY:
        sky = (
            TIME_SKY[time]
            if place_name != "abstract"
            else (mix(sky[0], TIME_SKY[time][0], 0.5), mix(sky[1], TIME_SKY[time][1], 0.5))
        )
    if named:
        # A colour the prompt names tints the sky (or wall), so "pink sky" reads as pink.
        sky = (mix(sky[0], named[0], 0.45), mix(sky[1], named[-1], 0.3))
    ground = place.ground
    if weather == "snow" and not place.indoor:
        ground = (236, 240, 246)
    # At least four accents, so props that pick several colours always have them; extras depend on the seed.
    extra = [hashed_color(f"{place_name}{seed}{index}") for index in range(4)]
    accents = tuple(named + hashed + extra)[:6]
    return ScenePlan(
        place=place_name,
        indoor=place.indoor,
        time=time,
        sky=sky,
        ground=ground,
        horizon=place.horizon + rng.uniform(-0.03, 0.03),
        accents=accents,
        light=LIGHT_COLOR[time],
        light_x=rng.choice((0.18, 0.28, 0.72, 0.82)),
        motifs=_motifs(unknown, seed),
        weather=weather,
        banned=banned,
        seed=stable_seed("plan", prompt, seed),
    )
