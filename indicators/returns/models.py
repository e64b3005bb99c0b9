"""The monthly returns: a return per authority and month, its values as entered, every change
to them and every step in its life.

Django finds these models through ``indicators.models``, which imports them (app label
``indicators``, so the tables and migrations are those they always were).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from authorities.models import Authority
from authorities.toolkit.append_only import AppendOnly
from indicators.models import Indicator, _person


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
    annex_a_upload = models.ForeignKey(
        "indicators.AnnexAUpload",
        on_delete=models.RESTRICT,  # kept while a figure cites it; goes with its authority
        null=True,
        blank=True,
        related_name="+",
        help_text="The Annex A upload the figure was computed from; empty when typed.",
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
    ANNEX_A = "annex_a", "Computed from Annex A"


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
