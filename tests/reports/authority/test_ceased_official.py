"""Ceased authorities on DfE's published files (issue 16, item 4): the last real figure
headlines with its year, successors and predecessors link to each other, and the current
league is of current authorities. Marked ``official_data``: skip without ../shared."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.official.ees_write import import_ees
from reports.compare import league

pytestmark = [pytest.mark.django_db, pytest.mark.official_data]


@pytest.fixture
def assessments(official_dir):
    import_ees([official_dir / "assessments_within_45_days_2016_to_2025.csv"])


def test_cumbria_headlines_its_last_real_figure_and_links_both_successors(client, assessments):
    response = client.get(reverse("reports:authority", args=["E10000006"]))
    html = response.content.decode()
    (headline,) = [
        h for h in response.context["headlines"] if h.indicator.code == "assessments_45wd_pct"
    ]
    assert (headline.latest.period_label, headline.latest.value) == ("2023", 70.4)
    assert [a.name for a in response.context["successors"]] == [
        "Cumberland",
        "Westmorland and Furness",
    ]
    assert f'href="{reverse("reports:authority", args=["E06000063"])}"' in html
    assert f'href="{reverse("reports:authority", args=["E06000064"])}"' in html


def test_a_successor_links_back_to_what_it_was_formed_from(client, assessments):
    response = client.get(reverse("reports:authority", args=["E06000058"]))
    html = response.content.decode()
    names = [a.name for a in response.context["predecessors"]]
    assert names == ["Bournemouth", "Dorset", "Poole"]
    assert "Formed from" in html
    assert f'href="{reverse("reports:authority", args=["E06000028"])}"' in html


def test_the_current_league_is_of_current_authorities_and_history_keeps_the_old(assessments):
    indicator = Indicator.objects.get(code="assessments_45wd_pct")
    latest = {row.name for row in league.league(indicator, period_label="2025").rows}
    assert "Cumbria" not in latest and "Cumberland" in latest
    assert "Northamptonshire" not in latest
    old = {row.name: row for row in league.league(indicator, period_label="2019").rows}
    assert old["Cumbria"].rank is not None
