"""Indicators, the values observed for them, monthly returns and milestones."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from authorities import dates
from authorities.models import Action, Authority, DatePrecision
from authorities.toolkit.append_only import AppendOnly, AppendOnlyQuerySet
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


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REOPENED = "reopened", "Reopened"


class MonthlyReturnQuerySet(models.QuerySet["MonthlyReturn"]):
    def for_user(self, user: Any, action: str = "view") -> MonthlyReturnQuerySet:
        """Returns of the authorities ``user`` may see (or do ``action`` with)."""
        return self.filter(authority__in=Authority.objects.for_user(user, action))


class MonthlyReturn(models.Model):
    """An authority's monthly KPI return for one month."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="returns")
    month = models.DateField(help_text="The first day of the month the return covers.")
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save, so a stale form cannot overwrite newer work."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(blank=True, help_text="Why it was last reopened.")

    objects = MonthlyReturnQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "month"], name="return_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="return_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.month:%B %Y} ({self.get_status_display()})"


class Milestone(models.Model):
    """A target the improvement board agreed for an indicator, due by a date."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="milestones")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="milestones")
    due_date = models.DateField()
    value = models.FloatField()
    tolerance = models.FloatField(
        default=0,
        help_text="How far off the target still counts as amber, in the indicator's unit.",
    )
    note = models.TextField(blank=True)
    # Where a milestone comes from a report, its citation; otherwise the board's own entry.
    document = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["authority", "indicator", "due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "indicator", "due_date"], name="milestone_unique_due_date"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0), name="milestone_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.indicator.code} {self.value} by {self.due_date}"

    def clean(self) -> None:
        super().clean()
        if self.due_date is not None:
            try:
                dates.plan_dates().check(self.due_date, what="The due date")
            except ValidationError as error:
                raise ValidationError({"due_date": error}) from error


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


# --- monthly returns: the values entered, and their full history -----------------------------


def _person(user: Any) -> str:
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


class ReturnValue(models.Model):
    """One indicator's figure in a monthly return, as entered: a count, or a numerator and a
    denominator from which ``value`` (a percentage, or cases per FTE) is worked out."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(
        null=True, blank=True, help_text="The count, or the figure worked out from the parts."
    )
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    internal_note = models.TextField(
        blank=True,
        help_text="Read only by the authority's members and DfE users who can see the return; "
        "never published.",
    )
    published_note = models.TextField(
        blank=True, help_text="Published with the figure once the return is approved."
    )
    explanation = models.TextField(
        blank=True, help_text="Why the figure moved a lot since the month before."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["monthly_return", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_return", "indicator"], name="return_value_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="return_value_not_negative",
            ),
            models.CheckConstraint(
                condition=(Q(numerator__isnull=True) | Q(numerator__gte=0))
                & (Q(denominator__isnull=True) | Q(denominator__gte=0)),
                name="return_value_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monthly_return} {self.indicator.code}: {self.value}"


class ChangeVia(models.TextChoices):
    FORM = "form", "Form"
    UPLOAD = "upload", "Upload"


class ValueField(models.TextChoices):
    VALUE = "value", "Figure"
    NUMERATOR = "numerator", "Numerator"
    DENOMINATOR = "denominator", "Denominator"
    INTERNAL_NOTE = "internal_note", "Internal note"
    PUBLISHED_NOTE = "published_note", "Published note"
    EXPLANATION = "explanation", "Explanation of a large change"


class ValueChange(AppendOnly):
    """One change to one part of one value in a return: who, when, old, new and why."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, on_delete=models.CASCADE, related_name="changes"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=16, choices=ValueField.choices)
    old = models.TextField(blank=True, help_text="Blank when there was nothing before.")
    new = models.TextField(blank=True, help_text="Blank when the value was cleared.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_name = models.CharField(
        max_length=150, blank=True, help_text="Kept in case the account is removed."
    )
    changed_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=8, choices=ChangeVia.choices)
    reason = models.TextField(blank=True, help_text="For example the file uploaded.")
    version = models.PositiveIntegerField(help_text="The return's version after the change.")

    class Meta:
        ordering = ["monthly_return", "changed_at", "pk"]
        indexes = [
            models.Index(fields=["monthly_return", "indicator"], name="value_change_by_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.field}: {self.old!r} → {self.new!r}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.changed_by_name:
            self.changed_by_name = _person(self.changed_by)
        super().save(*args, **kwargs)


class ReturnEventKind(models.TextChoices):
    CREATED = "created", "Started"
    SAVED = "saved", "Draft saved"
    UPLOADED = "uploaded", "File uploaded"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REOPENED = "reopened", "Reopened"


class ReturnEvent(AppendOnly):
    """One step in a return's life, for its timeline."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=ReturnEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="Why a return was reopened.")
    note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["monthly_return", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.monthly_return}: {self.get_kind_display()} by {self.user_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.user_name:
            self.user_name = _person(self.user)
        super().save(*args, **kwargs)


# --- milestones: every change kept -------------------------------------------------------------


class MilestoneChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    REMOVED = "removed", "Removed"


class MilestoneChangeQuerySet(AppendOnlyQuerySet["MilestoneChange"]):
    def for_user(self, user: Any) -> MilestoneChangeQuerySet:
        """The history of the plans ``user`` may manage (approvers and administrators)."""
        return self.filter(authority__in=Authority.objects.for_user(user, Action.MANAGE_PLAN))


class MilestoneChange(AppendOnly):
    """One milestone added, changed or removed: who, when, the milestone before and after, and
    why. ``old`` and ``new`` hold what the person saw (``MILESTONE_FIELDS``), so the record
    stays whole when the milestone or its indicator changes again or is removed."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="milestone_changes"
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        help_text="Empty once the milestone has been removed.",
    )
    kind = models.CharField(max_length=8, choices=MilestoneChangeKind.choices)
    old = models.JSONField(default=dict, blank=True, help_text="Empty when it was added.")
    new = models.JSONField(default=dict, blank=True, help_text="Empty when it was removed.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_name = models.CharField(
        max_length=150, blank=True, help_text="Kept in case the account is removed."
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="Why, where the person said.")

    objects = MilestoneChangeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["authority", "-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["authority", "changed_at"], name="milestone_change_by_time")
        ]

    def __str__(self) -> str:
        shown = self.new or self.old
        return f"{self.authority_id} {shown.get('indicator', '')}: {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.changed_by_name:
            self.changed_by_name = _person(self.changed_by)
        super().save(*args, **kwargs)


# What a milestone's history keeps of it, in the order a person reads them.
MILESTONE_FIELDS = ("indicator", "due_date", "value", "tolerance", "note")


def milestone_snapshot(milestone: Milestone) -> dict[str, Any]:
    """The milestone as its history keeps it: plain JSON, the indicator by code and name."""
    return {
        "indicator": milestone.indicator.code,
        "indicator_name": milestone.indicator.name,
        "due_date": milestone.due_date.isoformat(),
        "value": milestone.value,
        "tolerance": milestone.tolerance,
        "note": milestone.note,
    }


# --- the improvement plan: defined in its own package, registered here (app label indicators) ---

from indicators.milestones.models import (  # noqa: E402, F401
    ImprovementAction,
    ImprovementActionChange,
)
