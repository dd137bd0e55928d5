"""Connected social accounts: usable while active; a refused token refresh asks the owner to reconnect."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class SocialAccountStatus(StrEnum):
    ACTIVE = "active"
    NEEDS_REAUTH = "needs_reauth"
    DISCONNECTED = "disconnected"


_A = SocialAccountStatus
SOCIAL_ACCOUNT_TRANSITIONS: dict[SocialAccountStatus, frozenset[SocialAccountStatus]] = {
    _A.ACTIVE: frozenset({_A.NEEDS_REAUTH, _A.DISCONNECTED}),
    # Reconnecting over OAuth makes an account active again.
    _A.NEEDS_REAUTH: frozenset({_A.ACTIVE, _A.DISCONNECTED}),
    _A.DISCONNECTED: frozenset({_A.ACTIVE}),
}


def can_account_transition(current: str, new: SocialAccountStatus) -> bool:
    return transitions.can_transition(SOCIAL_ACCOUNT_TRANSITIONS, current, new)


def check_account_transition(current: str, new: SocialAccountStatus) -> None:
    transitions.check_transition(SOCIAL_ACCOUNT_TRANSITIONS, "social account", current, new)
