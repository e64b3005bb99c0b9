import datetime

import pytest
from django.db import IntegrityError, transaction

from indicators.catalogue import CATALOGUE
from indicators.models import Indicator, Polarity, Unit
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
