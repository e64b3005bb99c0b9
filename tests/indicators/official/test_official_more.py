"""Releases in ../shared/data/official-more mapped into catalogue indicators (issue 16, items 1
and 2): care leavers' activity and accommodation, placement stability. Marked ``official_data``."""

import pytest

from indicators.models import Indicator, Observation, Polarity
from indicators.official.ees_write import import_ees

pytestmark = [pytest.mark.django_db, pytest.mark.official_data]

FILES = (
    "la_care_leavers_activity.csv",
    "la_care_leavers_accommodation_suitability.csv",
    "la_cla_placement_stability.csv",
)


def _wakefield(code, period="2025"):
    return Observation.objects.get(
        indicator__code=code, area_code="E08000036", period_label=period
    ).value


def test_care_leavers_and_placement_stability_are_catalogue_indicators(official_more_dir):
    result = import_ees([official_more_dir / name for name in FILES])
    assert [f.release for f in result.files] == [
        "care_leavers",
        "care_leavers",
        "cla_placement_stability",
    ]
    assert result.indicators_created == []  # catalogue indicators, not columns of their own
    assert _wakefield("care_leavers_19_21_eet_pct") == 48
    assert _wakefield("care_leavers_17_18_eet_pct") == 62
    assert _wakefield("care_leavers_19_21_accom_pct") == 88
    assert _wakefield("care_leavers_17_18_accom_pct") == 90
    assert _wakefield("cla_3plus_placements_pct") == 10
    assert _wakefield("cla_long_term_stability_pct") == 69
    england = Observation.objects.get(
        indicator__code="care_leavers_19_21_eet_pct", area_code="E92000001", period_label="2025"
    )
    assert england.value == 54
    placements = Indicator.objects.get(code="cla_3plus_placements_pct")
    assert (placements.polarity, placements.decimals, placements.unit) == (
        Polarity.LOWER_IS_BETTER,
        0,
        "percent",
    )
    assert "three or more placements" in placements.name
