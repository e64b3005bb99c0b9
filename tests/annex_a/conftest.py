"""The returns' fixtures (an authority, another, and a user of each role) for the web tests."""

from tests.indicators.returns.conftest import authority, other_authority, users  # noqa: F401
