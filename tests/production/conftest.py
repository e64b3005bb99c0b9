"""Fixtures shared with the returns tests: an authority, another one, and a user of each role."""

from tests.indicators.returns.conftest import authority, other_authority, users  # noqa: F401
