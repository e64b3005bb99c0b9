import datetime

import pytest
from django.db import IntegrityError, transaction

from indicators.catalogue import CATALOGUE
from indicators.models import Document, Evidence, Indicator, Observation, Polarity, Source, Unit
from tests.factories import (
    AuthorityFactory,
    MilestoneFactory,
    MonthlyReturnFactory,
    ObservationFactory,
    indicator,
)

pytestmark = pytest.mark.django_db


def test_catalogue_is_loaded_with_the_monthly_return_core_set():
    monthly = list(Indicator.objects.in_monthly_return().values_list("code", flat=True))
    assert len(monthly) == 21
    assert monthly[:3] == ["contacts", "contacts_decided_1wd_pct", "referrals"]
    assert Indicator.objects.count() == len(CATALOGUE)
    assert all(i.definition for i in Indicator.objects.all())


@pytest.mark.parametrize(
    ("code", "polarity", "unit"),
    [
        ("agency_sw_pct", Polarity.LOWER_IS_BETTER, Unit.PERCENT),
        ("sw_vacancy_pct", Polarity.LOWER_IS_BETTER, Unit.PERCENT),
        ("avg_caseload", Polarity.LOWER_IS_BETTER, Unit.NUMBER),
        ("rereferrals_12m_pct", Polarity.LOWER_IS_BETTER, Unit.PERCENT),
        ("cp_plans_repeat_pct", Polarity.LOWER_IS_BETTER, Unit.PERCENT),
        ("assessments_45wd_pct", Polarity.HIGHER_IS_BETTER, Unit.PERCENT),
        ("unallocated_cases", Polarity.LOWER_IS_BETTER, Unit.COUNT),
        ("cla", Polarity.NEITHER, Unit.COUNT),
        ("cla_rate_per_10k", Polarity.NEITHER, Unit.RATE_PER_10000),
    ],
)
def test_catalogue_polarity_agrees_with_dfe_tools(code, polarity, unit):
    item = indicator(code)
    assert (item.polarity, item.unit) == (polarity, unit)


def test_ratio_indicators_name_their_numerator_and_denominator():
    for item in Indicator.objects.filter(entry="ratio"):
        assert item.numerator_label and item.denominator_label, item.code


def test_one_value_per_area_indicator_period_and_source():
    first = ObservationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(area_code=first.area_code)


def test_value_and_symbol_are_exclusive():
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(value=None, symbol="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(value=1.0, symbol="c")
    assert ObservationFactory(value=None, symbol="c").symbol == "c"


def test_return_is_one_per_authority_and_month_on_the_first_day():
    authority = AuthorityFactory()
    MonthlyReturnFactory(authority=authority, month=datetime.date(2026, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReturnFactory(authority=authority, month=datetime.date(2026, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReturnFactory(authority=authority, month=datetime.date(2026, 10, 15))


def test_one_milestone_per_indicator_and_due_date():
    milestone = MilestoneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(authority=milestone.authority, due_date=milestone.due_date)


def _cited(observation, number):
    """Evidence from a report that became ``observation``."""
    authority = AuthorityFactory(gss_code=observation.area_code)
    document = Document.objects.create(file_name=f"report-{number}.txt", title="A report")
    return Evidence.objects.create(
        authority=authority,
        indicator_name="Agency social workers",
        period_label="2025",
        value=observation.value,
        document=document,
        quote=f"agency workers were {observation.value}%",
        observation=observation,
    )


def test_deleting_figures_keeps_the_evidence_that_cites_them(django_assert_num_queries):
    kept = ObservationFactory(source=Source.OFFICIAL)
    reported = [ObservationFactory(source=Source.REPORT, value=v) for v in (20.0, 30.0, 40.0)]
    evidence = [_cited(observation, n) for n, observation in enumerate(reported)]
    uncited = _cited(kept, 9)
    # However many figures go, one statement unlinks their evidence and one deletes them.
    with django_assert_num_queries(2, exact=False):
        deleted, _ = Observation.objects.filter(source=Source.REPORT).exclude(value=40.0).delete()
    assert deleted == 2
    reported[2].delete()
    assert not Observation.objects.filter(source=Source.REPORT).exists()
    assert Evidence.objects.filter(pk__in=[e.pk for e in evidence], observation=None).count() == 3
    assert Evidence.objects.get(pk=uncited.pk).observation == kept
