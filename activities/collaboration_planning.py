"""Planning one collaboration item: a shared scene, and every member placed in it with a role.

Pure, like ``activities.planning``: the same members, options and seed always give the same plan, so a
retried step plans the same item again. Who stands in front changes from item to item (by the seed); the
members beside them turn toward and look at whoever is in front, and the one in front looks at the camera.
Each member keeps their own identity: their appearance prompt, an outfit from their own wardrobe and
their influencer seed (which fixes skin tone and unnamed hair in the local renderer)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from activities.planning import (
    DAYTIME,
    DEFAULT_MOODS,
    DEFAULT_SETTINGS,
    LIGHT,
    Character,
    Scene,
    appearance_prompt,
)
from contracts.generation import CastMember, GenerationOptions, ItemPlan
from domain.aesthetic_grades import GRADES_BY_ID, get_grade
from domain.collaborations import join_names
from domain.vocabulary import TimeOfDay


@dataclass(frozen=True)
class Member:
    """What planning needs of one member: their id, their character, their references and caption mention."""

    influencer_id: str
    character: Character
    reference_keys: list[str]
    mention: str


def _outfit(character: Character, rng: random.Random) -> list[str]:
    items = [item for item in (character.ingredients or {}).get("wardrobe") or [] if item.get("name")]
    chosen = rng.sample(items, k=min(len(items), rng.randint(1, 2))) if items else []
    return [str(item["name"]) for item in chosen]


def _stage_order(count: int, lead: int) -> list[int]:
    """Member indexes from the viewer's left: the lead in the middle, the others around them in turn."""
    others = [i for i in range(count) if i != lead]
    left = others[: len(others) // 2]
    return [*left, lead, *others[len(others) // 2 :]]


def _cast(members: list[Member], rng: random.Random) -> list[CastMember]:
    lead = rng.randrange(len(members))
    order = _stage_order(len(members), lead)
    lead_slot = order.index(lead)
    cast = []
    for slot, index in enumerate(order):
        member = members[index]
        character = member.character
        front = index == lead
        cast.append(
            CastMember(
                influencer_id=member.influencer_id,
                name=character.name,
                role="front" if front else "beside",
                # Members beside the lead turn toward them: a member on the viewer's left faces right.
                facing="camera" if front else ("right" if slot < lead_slot else "left"),
                looking_at=None if front else members[lead].character.name,
                prompt=appearance_prompt(character),
                wardrobe=_outfit(character, rng),
                seed=character.seed,
                reference_keys=list(member.reference_keys),
                mention=member.mention,
            )
        )
    return cast


def cast_line(member: CastMember) -> str:
    """A member's place in the scene, as the review queue shows it."""
    if member.role == "front":
        return f"{member.name} in front, looking at the camera"
    return f"{member.name} next to {member.looking_at}, looking at {member.looking_at}"


def scene_prompt(setting: str, time_of_day: TimeOfDay, mood: str, scene_text: str | None, grade_id: str) -> str:
    """The place, light and mood of a group picture without its people: image providers get each person as
    a figure of their own, so one member's hair or outfit words cannot colour the place or another member."""
    pieces = [setting, LIGHT[time_of_day], f"{mood} mood", scene_text or "", *get_grade(grade_id).prompt_modifiers]
    return ", ".join(p.strip() for p in pieces if p and p.strip())


def plan_collaboration(members: list[Member], options: GenerationOptions, scene_text: str | None, seed: int) -> tuple[
    Scene, list[CastMember]
]:
    """The shared scene (options win, then the members' ingredient libraries) and the cast placed in it."""
    rng = random.Random(seed)
    libraries = [m.character.ingredients or {} for m in members]
    moods = [str(mood) for lib in libraries for mood in lib.get("moods") or []]
    settings = [str(place) for lib in libraries for place in lib.get("settings") or []]
    mood = options.mood or rng.choice(moods or list(DEFAULT_MOODS))
    setting = options.setting or rng.choice(settings or list(DEFAULT_SETTINGS))
    time_of_day: TimeOfDay = options.time_of_day if options.time_of_day is not None else rng.choice(DAYTIME)
    grade_id = options.aesthetic_grade or members[0].character.aesthetic_grade
    if grade_id not in GRADES_BY_ID:
        grade_id = get_grade(None).id
    cast = _cast(members, rng)
    names = join_names([m.name for m in cast])
    roles = "; ".join(cast_line(m) for m in cast)
    # The place comes first and the people last: caption writers take a scene's first clause as its gist.
    description = f"Together at a {setting} in the {time_of_day}, feeling {mood}"
    if scene_text:
        description += f", {scene_text}"
    description += f": {names} ({roles})"
    people = [f"{m.name}: {m.prompt}" + (f", wearing {', '.join(m.wardrobe)}" if m.wardrobe else "") for m in cast]
    place = scene_prompt(setting, time_of_day, mood, scene_text, grade_id)
    prompt = ", ".join([f"{len(cast)} people together", place, roles, *people])
    wardrobe = [item for m in cast for item in m.wardrobe]
    scene = Scene(
        mood=mood,
        setting=setting,
        time_of_day=time_of_day,
        wardrobe=wardrobe,
        props=[],
        activity=scene_text or "",
        direction_id=None,
        direction_title=None,
        grade_id=grade_id,
        description=description,
        prompt=prompt,
    )
    return scene, cast


def group_scene_prompt(plan: ItemPlan) -> str:
    """``scene_prompt`` of a planned collaboration item, for the image request (its figures carry the people)."""
    return scene_prompt(plan.setting, plan.time_of_day, plan.mood, plan.item.scene, plan.grade_id)
