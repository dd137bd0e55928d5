"""Derived ids and seeds are stable: the same parts give the same values in every process."""

from __future__ import annotations

from domain.seeds import derived_id, derived_seed, seeded_random, stable_seed


def test_derived_values_are_fixed_by_their_parts() -> None:
    assert derived_id("cnt", "bat_1", 0) == derived_id("cnt", "bat_1", 0)
    assert derived_id("cnt", "bat_1", 0) != derived_id("cnt", "bat_1", 1)
    assert derived_id("cnt", "bat_1", 0).startswith("cnt_")
    assert 0 <= derived_seed("bat_1", 3) < 2**31


def test_ids_and_seeds_of_stored_rows_do_not_change() -> None:
    # Rows and recorded histories hold these values; a change here would duplicate results on retry.
    assert derived_id("cnt", "bat_x", 0) == "cnt_" + __import__("hashlib").sha256(b"bat_x:0").hexdigest()[:16]
    assert derived_seed("job_x") == int(__import__("hashlib").sha256(b"job_x").hexdigest()[:8], 16) & 0x7FFFFFFF


def test_local_generator_streams_are_fixed_by_their_parts() -> None:
    # The local generators draw from these streams; the first values are pinned so a change is seen.
    assert stable_seed("scene", "a prompt", 7) == int.from_bytes(
        __import__("hashlib").sha256(b"scene\x1fa prompt\x1f7").digest()[:8], "big"
    )
    assert seeded_random("caption", 3).random() == seeded_random("caption", 3).random()
    assert seeded_random("caption", 3).random() != seeded_random("caption", 4).random()
