"""Indicators and the values observed for them; the monthly returns and milestones, defined in
their own packages, are registered here."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from authorities.models import Authority, DatePrecision
from indicators.units import PeriodKind as PeriodKind  # re-exported: the models use them
from indicators.units import Symbol as Symbol
from indicators.units import Unit as Unit


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    NEITHER = "neither", "Neither higher nor lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    ANNUAL = "annual", "Annual"


class EntryKind(models.TextChoices):
    COUNT = "count", "A count"
    RATIO = "ratio", "Numerator and denominator"
    NONE = "", "Not entered"


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def in_monthly_return(self) -> IndicatorQuerySet:
        return self.filter(in_monthly_return=True)


class Indicator(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    polarity = models.CharField(max_length=8, choices=Polarity.choices)
    decimals = models.PositiveSmallIntegerField(default=0)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    in_monthly_return = models.BooleanField(default=False)
    entry = models.CharField(max_length=8, choices=EntryKind.choices, blank=True)
    numerator_label = models.CharField(max_length=120, blank=True)
    denominator_label = models.CharField(max_length=120, blank=True)
    official_source_column = models.CharField(
        max_length=200, blank=True, help_text="The EES column that maps onto this indicator."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def has_polarity(self) -> bool:
        return self.polarity != Polarity.NEITHER


class AreaLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    AUTHORITY = "authority", "Local authority"


class Source(models.TextChoices):
    OFFICIAL = "official", "Official statistics"
    MONTHLY_RETURN = "monthly_return", "Monthly return"
    REPORT = "report", "Report evidence"
    DEMO = "demo", "Simulated demo data"


# Which sources go where, defined once.
# When two sources give a figure for the same period, the more authoritative is shown first.
SOURCE_PRIORITY: dict[str, int] = {
    Source.OFFICIAL: 0,
    Source.MONTHLY_RETURN: 1,
    Source.REPORT: 2,
    Source.DEMO: 3,
}
# Shown across authorities (compare, league, recovery): published sources only, report evidence
# as a last resort and never beside published figures. Monthly returns are not shown there.
PUBLIC_SOURCES = (Source.OFFICIAL, Source.DEMO, Source.REPORT)
# Drawn across authorities as comparable series.
COMPARED_SOURCES = (Source.OFFICIAL, Source.DEMO)
# On an authority's own page, figures compared like with like, each with other areas' figures
# from its own source. Report evidence is one authority's figure from one document; nothing
# comparable is published beside it.
COMPARED_LIKE_WITH_LIKE = frozenset({Source.OFFICIAL, Source.DEMO, Source.MONTHLY_RETURN})


class ObservationQuerySet(models.QuerySet["Observation"]):
    def numeric(self) -> ObservationQuerySet:
        return self.filter(value__isnull=False)

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete in one statement, however many (a demo reload replaces 450,000): the evidence
        that cites a deleted figure is kept and unlinked first, so Django's collector has
        nothing to load row by row (``Evidence.observation`` is ``DO_NOTHING`` for that)."""
        Evidence.objects.filter(observation__in=self).update(observation=None)
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class Observation(models.Model):
    """A value (or a statistical symbol) for one area, indicator, period and source.

    Areas are identified by GSS code so that England, regions and authorities share one table:
    the comparator queries for a page are then one query on ``area_code__in``.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    area_level = models.CharField(max_length=10, choices=AreaLevel.choices)
    area_code = models.CharField("GSS code of the area", max_length=9)
    period_kind = models.CharField(max_length=16, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField(help_text="The date the figure is drawn at on a time axis.")
    period_label = models.CharField(max_length=40, help_text="The period as people say it.")
    value = models.FloatField(null=True, blank=True)
    symbol = models.CharField(max_length=3, choices=Symbol.choices, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    base_symbol = models.CharField(
        max_length=3,
        choices=Symbol.choices,
        blank=True,
        help_text="The symbol published in place of this rate's base (denominator), e.g. c: "
        "the rate is shown as published but, as in DfE's LAIT, not ranked.",
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    # Provenance: which file and row, or which document, section and quote.
    release = models.CharField(
        max_length=200, blank=True, help_text="Release file, report document or demo generator."
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    section = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True)
    note = models.TextField(
        blank=True,
        help_text="Published with the figure for everyone to read: a monthly return's "
        "published note.",
    )
    recorded_at = models.DateTimeField(auto_now=True)
    annex_a_upload = models.ForeignKey(
        "indicators.AnnexAUpload",
        on_delete=models.RESTRICT,  # kept while a figure cites it; goes with its authority
        null=True,
        blank=True,
        related_name="+",
        help_text="A monthly return figure computed from an Annex A upload: its provenance.",
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "area_code", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "area_code",
                    "indicator",
                    "period_kind",
                    "period_start",
                    "source",
                    "release",
                ],
                name="observation_unique_per_period_and_source",
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(symbol=""))
                | (Q(value__isnull=True) & ~Q(symbol="")),
                name="observation_value_or_symbol",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="observation_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "area_code", "period_end"], name="obs_series"),
            models.Index(
                fields=["indicator", "period_end", "area_level"], name="obs_cross_section"
            ),
            # An authority's newest figures of each series (headlines, the watchlist): each is
            # the first entry of its series here, read from the index alone.
            models.Index(
                "area_code",
                "indicator",
                "source",
                "period_kind",
                models.F("period_end").desc(),
                models.F("id").desc(),
                name="obs_newest_per_series",
            ),
        ]

    def __str__(self) -> str:
        shown = self.symbol if self.symbol else self.value
        return f"{self.indicator.code} {self.area_code} {self.period_label}: {shown}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """The evidence that cites this figure is kept, unlinked (see the queryset's delete)."""
        Evidence.objects.filter(observation=self).update(observation=None)
        return super().delete(*args, **kwargs)


class Retirement(models.TextChoices):
    WITHDRAWN = "withdrawn", "Withdrawn when its monthly return was reopened"
    REPLACED = "replaced", "Replaced by a newer copy of the same figure"


class RetiredObservation(models.Model):
    """The id of a published figure that was removed, and what it was a figure of.

    A figure's source page (``/figures/<id>/source/``) is a permalink: when a return is reopened
    its figures are withdrawn (deleted, so no page can show them), and approving it again
    publishes new rows. The removed id is kept here with its area, indicator, period and source,
    so its link can lead to the figure published for the same things now, or find nothing while
    none is published.
    """

    id = models.BigIntegerField(primary_key=True, help_text="The removed Observation's id.")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area_code = models.CharField("GSS code of the area", max_length=9)
    period_kind = models.CharField(max_length=16, choices=PeriodKind.choices)
    period_start = models.DateField()
    source = models.CharField(max_length=16, choices=Source.choices)
    retired_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=10, choices=Retirement.choices)

    class Meta:
        ordering = ["-retired_at", "-id"]

    def __str__(self) -> str:
        return f"figure {self.id}: {self.get_reason_display().lower()}"

    def is_figure_of(self, observation: Observation) -> bool:
        """Whether ``observation`` stands for what this removed figure stood for."""
        return (
            self.indicator_id,
            self.area_code,
            self.period_kind,
            self.period_start,
            self.source,
        ) == (
            observation.indicator_id,
            observation.area_code,
            observation.period_kind,
            observation.period_start,
            observation.source,
        )


class Document(models.Model):
    """A report that figures and events were read out of: a commissioner's report, an inspection."""

    file_name = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    authority = models.ForeignKey(
        Authority, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True)
    kind = models.CharField(
        max_length=40,
        blank=True,
        help_text="For example commissioner_report, ofsted_inspection_report.",
    )
    published_date = models.DateField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, blank=True, help_text="How exact the date is."
    )
    author = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["published_date", "file_name"]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """A figure as a report printed it, with its citation; dated or not, mapped or not.

    When the figure is dated, is the authority's own (no comparator) and maps onto a catalogue
    indicator, it also became an ``Observation`` with source "report evidence", linked here.
    """

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="evidence")
    area_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="The area the figure describes as the report words it (the authority, England, "
        "statistical neighbours, ...).",
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The catalogue indicator the figure maps onto, if any.",
    )
    indicator_name = models.CharField(
        max_length=120, help_text="The indicator as the report has it."
    )
    period_label = models.CharField(max_length=200, help_text="The period as the report words it.")
    period_start = models.DateField(null=True, blank=True)
    period_precision = models.CharField(max_length=16, choices=DatePrecision.choices, blank=True)
    value = models.FloatField(null=True, blank=True)
    value_text = models.CharField(
        max_length=100, blank=True, help_text="The value as printed, when it is not a number."
    )
    unit = models.CharField(max_length=40, blank=True)
    comparator = models.CharField(
        max_length=100, blank=True, help_text="Blank for the authority's own figure."
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="evidence")
    section = models.CharField(max_length=300, blank=True)
    quote = models.TextField()
    observation = models.ForeignKey(
        Observation,
        # Set null by Observation.delete and ObservationQuerySet.delete, in one UPDATE.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The observation this dated figure became.",
    )

    class Meta:
        ordering = ["authority", "indicator_name", "period_start"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["authority", "indicator"], name="evidence_by_indicator")]

    def __str__(self) -> str:
        shown = self.value_text if self.value is None else self.value
        area = self.area_name or self.authority
        return f"{area} {self.indicator_name} {self.period_label}: {shown}"


# --- a person's name as records keep it (returns, milestones and the plan use it) ---


def _person(user: Any) -> str:
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


# --- monthly returns and milestones: defined in their own packages, registered here (app label
# indicators, tables unchanged) so that Django and every import of indicators.models find them ---

from indicators.annex_a.models import AnnexAUpload, TeamMonth  # noqa: E402, F401
from indicators.milestones.models import (  # noqa: E402, F401
    MILESTONE_FIELDS,
    ImprovementAction,
    ImprovementActionChange,
    Milestone,
    MilestoneChange,
    MilestoneChangeKind,
    MilestoneChangeQuerySet,
    milestone_snapshot,
)
from indicators.returns.models import (  # noqa: E402, F401
    ChangeVia,
    MonthlyReturn,
    MonthlyReturnQuerySet,
    ReturnEvent,
    ReturnEventKind,
    ReturnStatus,
    ReturnValue,
    ValueChange,
    ValueField,
)
