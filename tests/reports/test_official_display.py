"""Official figures shown as DfE publishes them (issue 16, item 4): DfE's decimals, and the
counts behind a rate shown only where they give the published rate.

Marked ``official_data``: they read ../shared/data/official and skip without it."""

import pytest
from django.urls import reverse

from indicators.models import Observation
from indicators.official.ees_write import import_ees

pytestmark = [pytest.mark.django_db, pytest.mark.official_data]


@pytest.fixture
def looked_after_and_plans(official_dir):
    return import_ees(
        [
            official_dir / "cla_number_and_rate_per_10k_children.csv",
            official_dir / "d3_cpps_subsequent_plan_2013_to_2025.csv",
        ]
    )


def _source_page(client, observation):
    url = reverse("reports:observation_source", args=[observation.pk])
    return client.get(url).content.decode()


def test_a_rate_per_10000_is_a_whole_number_with_the_counts_it_comes_from(
    client, looked_after_and_plans
):
    wakefield = Observation.objects.get(
        indicator__code="cla_rate_per_10k", area_code="E08000036", period_label="2025"
    )
    html = _source_page(client, wakefield)
    assert "89 per 10,000" in html
    assert "89.0" not in html
    assert "Calculated from" in html and "692" in html and "77,481" in html


def test_counts_that_contradict_the_published_rate_are_not_shown_as_its_source(
    client, looked_after_and_plans
):
    report = {file.file: file for file in looked_after_and_plans.files}
    notes = report["d3_cpps_subsequent_plan_2013_to_2025.csv"].notes
    assert any("whose published counts do not give the published rate" in n for n in notes)
    contradicted = Observation.objects.filter(
        indicator__code="cp_plans_repeat_pct",
        value__isnull=False,
        numerator__isnull=True,
        base_symbol="",
    )
    assert contradicted.exists()
    for figure in contradicted[:20]:
        assert "Calculated from" not in _source_page(client, figure)
    kept = Observation.objects.filter(
        indicator__code="cp_plans_repeat_pct",
        value__isnull=False,
        numerator__isnull=False,
        denominator__isnull=False,
    )
    assert kept.count() > 2000
    for figure in kept:
        rate = figure.numerator / figure.denominator * 100
        # Older years are published as whole percentages, newer ones to one decimal.
        half_step = 0.5 if figure.value.is_integer() else 0.05
        assert abs(rate - figure.value) <= half_step + 1e-9, figure
