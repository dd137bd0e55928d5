"""A collaboration caption names every member, whatever wrote it, without losing any mention to the limit."""

from __future__ import annotations

from domain.collaborations import with_mentions


def test_adds_only_the_mentions_the_caption_lacks() -> None:
    caption = with_mentions("Coffee with Ana before the rain.", ["Ana", "@ben_b", "Cleo"])
    assert caption == "Coffee with Ana before the rain.\nWith @ben_b and Cleo."


def test_a_caption_naming_everyone_is_unchanged() -> None:
    assert with_mentions("Ana and Ben, again.", ["Ana", "Ben"]) == "Ana and Ben, again."


def test_a_lower_case_name_does_not_count_as_the_name() -> None:
    assert with_mentions("ana at the park", ["Ana"]).endswith("\nWith Ana.")


def test_a_long_caption_is_shortened_so_every_mention_fits() -> None:
    caption = with_mentions("x" * 2200, ["Ana Long-Name", "Ben", "Cleo"], limit=2200)
    assert len(caption) <= 2200
    assert caption.endswith("With Ana Long-Name, Ben and Cleo.")
