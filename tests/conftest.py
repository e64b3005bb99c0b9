import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _require(path: Path) -> Path:
    if path.exists():
        return path
    message = f"{path} is not here: the real published files live in ../shared/data"
    if os.environ.get("TRAJECTORY_REQUIRE_OFFICIAL_DATA"):
        pytest.fail(message + " and TRAJECTORY_REQUIRE_OFFICIAL_DATA is set (CI must read them)")
    pytest.skip(message)


@pytest.fixture
def official_dir() -> Path:
    """../shared/data/official; skipped with a reason where absent, a failure in CI."""
    return _require(SHARED_DATA / "official")


@pytest.fixture
def official_more_dir() -> Path:
    """../shared/data/official-more; skipped with a reason where absent, a failure in CI."""
    return _require(SHARED_DATA / "official-more")


@pytest.fixture
def reports_dir() -> Path:
    """../shared/data/reports; skipped with a reason where absent, a failure in CI."""
    return _require(SHARED_DATA / "reports")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: sign-in failure counts never carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
