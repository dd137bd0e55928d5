"""Planning a collaboration item: one shared scene, every member in it once with a role (one in front
looking at the camera, the others turned toward and looking at them), each keeping their own looks."""

from __future__ import annotations

from activities.collaboration_planning import Member, cast_line, group_scene_prompt, plan_collaboration
from activities.planning import Character, item_plan
from contracts.generation import GenerationOptions, ItemRef


def member(name: str, hair: str, seed: int, **ingredients: object) -> Member:
    character = Character(
        name=name,
        personality="",
        base_prompt=f"woman, 27, {hair} hair",
        appearance={},
        ingredients={"wardrobe": [{"name": f"{hair} scarf"}], **ingredients},
        aesthetic_grade="natural",
        seed=seed,
    )
    return Member(influencer_id=f"inf_{name.lower()}", character=character, reference_keys=[f"k/{name}"], mention=name)


MEMBERS = [member("Ana", "red", 11, settings=["rooftop"]), member("Ben", "blue", 22), member("Cleo", "green", 33)]


def test_every_member_is_placed_once_with_a_role() -> None:
    for seed in range(20):
        _, cast = plan_collaboration(MEMBERS, GenerationOptions(), None, seed)
        assert sorted(m.influencer_id for m in cast) == sorted(m.influencer_id for m in MEMBERS)
        (front,) = [m for m in cast if m.role == "front"]
        assert front.facing == "camera" and front.looking_at is None
        # The lead stands in the middle; those left of them face right (toward them) and vice versa.
        lead = cast.index(front)
        assert lead == (len(cast) - 1) // 2
        for slot, other in enumerate(cast):
            if other is not front:
                assert other.looking_at == front.name
                assert other.facing == ("right" if slot < lead else "left")


def test_who_is_in_front_changes_between_items_and_is_stable_for_one() -> None:
    leads = {next(m.name for m in plan_collaboration(MEMBERS, GenerationOptions(), None, s)[1] if m.role == "front")
             for s in range(30)}  # fmt: skip
    assert leads == {"Ana", "Ben", "Cleo"}
    first = plan_collaboration(MEMBERS, GenerationOptions(), "sharing fries", 5)
    assert plan_collaboration(MEMBERS, GenerationOptions(), "sharing fries", 5) == first


def test_each_member_keeps_their_own_looks_and_wardrobe() -> None:
    _, cast = plan_collaboration(MEMBERS, GenerationOptions(), None, 3)
    by_name = {m.name: m for m in cast}
    for name, hair, seed in (("Ana", "red", 11), ("Ben", "blue", 22), ("Cleo", "green", 33)):
        assert f"{hair} hair" in by_name[name].prompt
        assert by_name[name].wardrobe == [f"{hair} scarf"]
        assert by_name[name].seed == seed
        assert by_name[name].reference_keys == [f"k/{name}"]


def test_options_win_and_the_scene_text_is_in_prompt_and_description() -> None:
    options = GenerationOptions(mood="playful", setting="beach boardwalk", time_of_day="evening")
    scene, cast = plan_collaboration(MEMBERS, options, "sharing an ice cream", 1)
    assert (scene.mood, scene.setting, scene.time_of_day) == ("playful", "beach boardwalk", "evening")
    assert "sharing an ice cream" in scene.prompt and "sharing an ice cream" in scene.description
    for m in cast:
        assert m.name in scene.description and cast_line(m) in scene.prompt
    ref = ItemRef(batch_id="bat_x", account_id="acc", kind="collaboration", position=0, influencer_id="inf_ana",
                  options=options, scene="sharing an ice cream")  # fmt: skip
    plan = item_plan(ref, result_id="cnt_x", scene=scene, seed=1, media_namespace="ns").model_copy(
        update={"cast": cast}
    )
    place = group_scene_prompt(plan)
    # The image's scene prompt holds the place, not the people: their hair words go to their own figures.
    assert "beach boardwalk" in place and "sharing an ice cream" in place
    assert not any(word in place for word in ("red hair", "blue hair", "green hair", "Ana", "Ben"))
