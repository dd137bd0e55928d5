"""The platform fakes of tests/providers/social, for activities that talk to a platform."""

from tests.providers.social.conftest import x, x_server

__all__ = ["x", "x_server"]
