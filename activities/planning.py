"""Deciding what to draw before drawing it: scene, outfit, mood, light and the final prompt.

Pure functions of the influencer, the profile, the options and a seed: a retried activity plans the
same item again, and the same batch position always gets the same plan."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from contracts.generation import GenerationOptions, ItemPlan, ItemRef
from domain.aesthetic_grades import GRADES_BY_ID, get_grade
from domain.vocabulary import TimeOfDay, View

DEFAULT_MOODS = ("relaxed", "energetic", "creative", "confident", "playful", "dreamy")
DEFAULT_SETTINGS = ("sunlit cafe", "city street", "beach boardwalk", "home studio", "park", "rooftop terrace")
# Posts are planned in daylight hours unless the caller asks for the night.
DAYTIME: tuple[TimeOfDay, ...] = ("morning", "afternoon", "evening")
LIGHT = {
    "morning": "soft morning light",
    "afternoon": "bright afternoon sun",
    "evening": "warm evening glow",
    "night": "city lights at night",
}
_VIEW_WORDS = {
    "front": "front view, facing the camera",
    "three_quarter": "three-quarter view, turned slightly",
    "profile": "side profile view",
    "back": "view from behind",
}


@dataclass(frozen=True)
class Character:
    """What planning needs of an influencer, copied out of the row."""

    name: str
    personality: str
    base_prompt: str
    appearance: dict[str, Any]
    ingredients: dict[str, Any]
    aesthetic_grade: str
    seed: int


@dataclass(frozen=True)
class Scene:
    mood: str
    setting: str
    time_of_day: TimeOfDay
    wardrobe: list[str]
    props: list[str]
    activity: str
    direction_id: str | None
    direction_title: str | None
    grade_id: str
    description: str
    prompt: str
    extras: dict[str, Any] = field(default_factory=dict)


def _appearance_text(appearance: dict[str, Any]) -> str:
    order = (
        "age_range",
        "gender",
        "ethnicity",
        "hair",
        "eyes",
        "skin_tone",
        "body_type",
        "style",
        "distinguishing_features",
    )
    return ", ".join(str(appearance[k]) for k in order if appearance.get(k))


def _pick_direction(directions: list[dict[str, Any]], wanted: str | None, rng: random.Random) -> dict[str, Any] | None:
    if wanted:
        return next((d for d in directions if d.get("id") == wanted), None)
    return rng.choice(directions) if directions else None


def _routine_activity(routines: list[dict[str, Any]], time_of_day: str, rng: random.Random) -> str:
    matching = [r for r in routines if r.get("time_of_day") == time_of_day]
    if not matching:
        return ""
    routine = rng.choice(matching)
    return str(routine.get("description") or routine.get("name") or "")


def plan_scene(
    character: Character,
    directions: list[dict[str, Any]],
    options: GenerationOptions,
    seed: int,
) -> Scene:
    """A content post's scene: options win, then the chosen direction, then the ingredient library."""
    rng = random.Random(seed)
    ingredients = character.ingredients or {}
    direction = _pick_direction(directions, options.content_direction_id, rng)
    moods = list(ingredients.get("moods") or []) + list((direction or {}).get("moods") or [])
    settings = list((direction or {}).get("settings") or []) + list(ingredients.get("settings") or [])
    mood = options.mood or rng.choice(moods or list(DEFAULT_MOODS))
    setting = options.setting or rng.choice(settings or list(DEFAULT_SETTINGS))
    time_of_day: TimeOfDay = options.time_of_day if options.time_of_day is not None else rng.choice(DAYTIME)

    wardrobe_items = list(ingredients.get("wardrobe") or [])
    outfit = rng.sample(wardrobe_items, k=min(len(wardrobe_items), rng.randint(1, 3))) if wardrobe_items else []
    wardrobe = [str(item.get("name")) for item in outfit if item.get("name")]
    props_pool = list(ingredients.get("props") or [])
    props = rng.sample(props_pool, k=min(len(props_pool), 1 if rng.random() < 0.6 else 2)) if props_pool else []
    activity = _routine_activity(list(ingredients.get("routines") or []), time_of_day, rng)

    grade_id = options.aesthetic_grade or character.aesthetic_grade
    if grade_id not in GRADES_BY_ID:
        grade_id = get_grade(None).id
    description = f"{character.name} at a {setting} in the {time_of_day}, feeling {mood}"
    if activity:
        description += f", {activity}"
    if wardrobe:
        description += f", wearing {', '.join(wardrobe)}"
    if props:
        description += f", with {', '.join(props)}"
    prompt = compose_prompt(
        character,
        grade_id,
        [
            f"{setting}",
            LIGHT[time_of_day],
            f"{mood} mood",
            activity,
            f"wearing {', '.join(wardrobe)}" if wardrobe else "",
            f"with {', '.join(props)}" if props else "",
            str((direction or {}).get("title") or ""),
        ],
    )
    return Scene(
        mood=mood,
        setting=setting,
        time_of_day=time_of_day,
        wardrobe=wardrobe,
        props=props,
        activity=activity,
        direction_id=(direction or {}).get("id"),
        direction_title=(direction or {}).get("title"),
        grade_id=grade_id,
        description=description,
        prompt=prompt,
    )


def plan_portrait(character: Character, view: View | None, grade_id: str | None) -> Scene:
    """A reference or preview portrait: neutral studio scene so the look, not the place, is what shows."""
    grade = grade_id if grade_id in GRADES_BY_ID else character.aesthetic_grade
    if grade not in GRADES_BY_ID:
        grade = get_grade(None).id
    parts = ["full body character reference", "plain studio backdrop", "even soft light"]
    if view:
        parts.insert(0, _VIEW_WORDS[view])
    prompt = compose_prompt(character, grade, parts)
    return Scene(
        mood="neutral",
        setting="studio",
        time_of_day="afternoon",
        wardrobe=[],
        props=[],
        activity="",
        direction_id=None,
        direction_title=None,
        grade_id=grade,
        description=f"{character.name}, {view.replace('_', ' ') if view else 'portrait'} in a studio",
        prompt=prompt,
    )


def appearance_prompt(character: Character) -> str:
    """Who the character is and how they look, without place, light or grade."""
    pieces = [character.base_prompt or character.name, _appearance_text(character.appearance)]
    return ", ".join(p.strip() for p in pieces if p and p.strip())


def compose_prompt(character: Character, grade_id: str, parts: list[str]) -> str:
    pieces = [
        appearance_prompt(character),
        *parts,
        *get_grade(grade_id).prompt_modifiers,
    ]
    return ", ".join(p.strip() for p in pieces if p and p.strip())


def item_plan(
    item: ItemRef, *, result_id: str, scene: Scene, seed: int, media_namespace: str, view: View | None = None
) -> ItemPlan:
    """The plan a generation step carries: the item, where its result goes, and the scene as drawn."""
    return ItemPlan(
        item=item,
        result_id=result_id,
        prompt=scene.prompt,
        seed=seed,
        view=view,
        wardrobe=scene.wardrobe,
        mood=scene.mood,
        setting=scene.setting,
        time_of_day=scene.time_of_day,
        props=scene.props,
        direction_id=scene.direction_id,
        direction_title=scene.direction_title,
        grade_id=scene.grade_id,
        scene_description=scene.description,
        media_namespace=media_namespace,
    )
