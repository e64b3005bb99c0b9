"""Factories for the domain models. Codes are fictional unless a test sets them."""

import datetime

import factory

from authorities.models import (
    Authority,
    Event,
    EventCategory,
    Framework,
    Grade,
    Inspection,
    InspectionKind,
    Region,
    StatisticalNeighbour,
)
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, Indicator, Observation, PeriodKind, Source
from indicators.returns.models import MonthlyReturn


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"E1200{n + 100:04d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["gss_code"]

    gss_code = factory.Sequence(lambda n: f"E0600{n + 1000:04d}")
    dfe_code = factory.Sequence(lambda n: f"{(n % 300) + 500:03d}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    region = factory.SubFactory(RegionFactory)


class NeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticalNeighbour

    authority = factory.SubFactory(AuthorityFactory)
    neighbour = factory.SubFactory(AuthorityFactory)
    model_year = 2025
    rank = 1
    closeness = "Close"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    authority = factory.SubFactory(AuthorityFactory)
    framework = Framework.ILACS
    kind = InspectionKind.FULL
    start_date = datetime.date(2022, 1, 10)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=11))
    published_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=60))
    overall_grade = Grade.GOOD


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    authority = factory.SubFactory(AuthorityFactory)
    date = datetime.date(2019, 3, 1)
    category = EventCategory.INTERVENTION
    description = "Commissioner appointed"


def indicator(code: str) -> Indicator:
    """A catalogue indicator (the catalogue is loaded by a data migration)."""
    return Indicator.objects.get(code=code)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.LazyFunction(lambda: indicator("agency_sw_pct"))
    area_level = AreaLevel.AUTHORITY
    area_code = factory.LazyAttribute(lambda o: AuthorityFactory().gss_code)
    period_kind = PeriodKind.REPORTING_YEAR
    period_start = datetime.date(2024, 10, 1)
    period_end = datetime.date(2025, 9, 30)
    period_label = "2025"
    value = 12.5
    source = Source.OFFICIAL
    release = "test.csv"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    authority = factory.SubFactory(AuthorityFactory)
    indicator = factory.LazyFunction(lambda: indicator("avg_caseload"))
    due_date = datetime.date(2026, 9, 30)
    value = 20


class MonthlyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReturn

    authority = factory.SubFactory(AuthorityFactory)
    month = datetime.date(2026, 9, 1)


def annual(area_code, year, value, code="agency_sw_pct", level=AreaLevel.AUTHORITY, **extra):
    """An area's figure for the reporting year ending 30 September ``year`` (the workforce
    census year): the one helper for annual figures."""
    return ObservationFactory(
        indicator=indicator(code),
        area_level=level,
        area_code=area_code,
        period_kind=PeriodKind.REPORTING_YEAR,
        period_start=datetime.date(year - 1, 10, 1),
        period_end=datetime.date(year, 9, 30),
        period_label=str(year),
        value=value,
        **extra,
    )
