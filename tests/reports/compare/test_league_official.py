"""Ranks and bands on DfE's published files, as LAIT gives them (issue 16, item 3).

Marked ``official_data``: they read ../shared/data/official and skip without it."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, Observation
from indicators.official.ees_write import import_ees
from reports.compare import league

pytestmark = [pytest.mark.django_db, pytest.mark.official_data]


@pytest.fixture
def workforce_and_plans(official_dir):
    import_ees(
        [
            official_dir / "csww_indicators_2017_to_2025.csv",
            official_dir / "d3_cpps_subsequent_plan_2013_to_2025.csv",
        ]
    )


def _rows(code, period):
    table = league.league(Indicator.objects.get(code=code), period_label=period)
    return table, {row.name: row for row in table.rows}


def test_wakefield_2025_agency_rate_ranks_90th_as_in_lait(workforce_and_plans):
    table, rows = _rows("agency_sw_pct", "2025")
    assert rows["Wakefield"].value == 15.2
    assert rows["Wakefield"].rank == 90
    # "low" rounds to zero: ranked as zero, level with the authorities that published 0.
    assert rows["Sunderland"].symbol == "low"
    assert rows["Sunderland"].rank == 1
    assert rows["Sunderland"].band == "A"
    # The joint return is each authority's figure, and each is ranked with it.
    assert rows["Kingston upon Thames"].value == rows["Richmond upon Thames"].value == 14.9
    assert rows["Kingston upon Thames"].rank == rows["Richmond upon Thames"].rank
    # Not available ("x") takes no part.
    assert rows["Westminster"].rank is None
    # 148 published numbers, the two joint returns once more each, and Sunderland's "low".
    assert table.ranked == 151


def test_a_percentage_on_a_suppressed_base_is_shown_but_not_ranked(workforce_and_plans):
    scilly = Observation.objects.get(
        indicator__code="cp_plans_repeat_pct", area_code="E06000053", period_label="2025"
    )
    assert (scilly.value, scilly.base_symbol) == (0.0, "c")
    table, rows = _rows("cp_plans_repeat_pct", "2025")
    assert rows["Isles of Scilly"].value == 0.0
    assert rows["Isles of Scilly"].rank is None
    assert rows["Isles of Scilly"].band == ""
    assert min(row.rank for row in table.rows if row.rank is not None) == 1
    assert all(row.rank for name, row in rows.items() if name != "Isles of Scilly" and row.value)


def test_the_league_page_says_the_ranking_rule(client, workforce_and_plans):
    response = client.get(
        reverse("reports:league"), {"indicator": "agency_sw_pct", "period": "2025"}
    )
    html = response.content.decode()
    assert "counts as zero and is ranked" in html
    assert "A percentage whose base is suppressed is shown as published but not ranked" in html
    assert "Kingston upon Thames and Richmond upon Thames" in html
