from __future__ import annotations

import re

import pytest

from providers.social import pkce


def test_challenge_matches_the_rfc_7636_example() -> None:
    # Appendix B of RFC 7636.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    assert pkce.s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert (
        pkce.s256_hex_challenge(verifier)
        == "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
    )


def test_verifiers_are_unreserved_random_and_of_the_asked_length() -> None:
    verifiers = {pkce.new_code_verifier(length) for length in (43, 64, 128)}

    assert sorted(len(v) for v in verifiers) == [43, 64, 128]
    assert all(re.fullmatch(r"[A-Za-z0-9_~.-]+", v) for v in verifiers)
    assert pkce.new_code_verifier() != pkce.new_code_verifier()


@pytest.mark.parametrize("length", [42, 129])
def test_verifier_length_outside_the_rfc_is_refused(length: int) -> None:
    with pytest.raises(ValueError):
        pkce.new_code_verifier(length)
