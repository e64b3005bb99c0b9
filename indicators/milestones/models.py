"""The improvement plan: actions with an owner, a due date and a status, every change kept.

Django finds these models through ``indicators.models``, which imports them (app label
``indicators``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from authorities import dates
from authorities.models import Action, Authority, Inspection
from authorities.toolkit.append_only import AppendOnly, AppendOnlyQuerySet
from indicators.models import Indicator, _person


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"


class ImprovementActionQuerySet(models.QuerySet["ImprovementAction"]):
    def for_user(self, user: Any, action: str = Action.VIEW) -> ImprovementActionQuerySet:
        """The actions of the plans ``user`` may see (members of the authority and DfE users),
        or do ``action`` with (``Action.MANAGE_PLAN``: approvers and administrators)."""
        return self.filter(authority__in=Authority.objects.for_user(user, action))

    def overdue(self, today: datetime.date) -> ImprovementActionQuerySet:
        """Past their due date and not done: the same test as ``rag.is_overdue``."""
        return self.filter(due_date__lt=today).exclude(status=ActionStatus.DONE)


class ImprovementAction(models.Model):
    """One action in an authority's improvement plan: what will be done, by whom, by when."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A name or a role, as text.")
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    indicators = models.ManyToManyField(
        Indicator,
        blank=True,
        related_name="improvement_actions",
        help_text="The measures the action is meant to move.",
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        help_text="The inspection whose recommendation the action answers.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change, so a stale form cannot overwrite newer work."
    )

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "due_date", "pk"]
        indexes = [models.Index(fields=["authority", "due_date"], name="action_by_due_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.description[:60]} (due {self.due_date})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.due_date is not None:
            try:
                dates.plan_dates().check(self.due_date, what="The due date")
            except ValidationError as error:
                errors["due_date"] = error
        if (
            self.inspection_id is not None
            and self.authority_id is not None
            and self.inspection is not None
            and self.inspection.authority_id != self.authority_id
        ):
            errors["inspection"] = "Choose one of this authority's own inspections"
        if errors:
            raise ValidationError(errors)


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    REMOVED = "removed", "Removed"


PlanChangeKind = MilestoneChangeKind = ChangeKind  # the names each history was written with


class PlanChange(AppendOnly):
    """What every record of a change to the plan holds (an action's or a milestone's): what
    kind of change, the thing before and after as the person saw it, who, when and why.
    Append-only, like every history."""

    kind = models.CharField(max_length=8, choices=ChangeKind.choices)
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

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.changed_by_name:
            self.changed_by_name = _person(self.changed_by)
        super().save(*args, **kwargs)


class ImprovementActionChangeQuerySet(AppendOnlyQuerySet["ImprovementActionChange"]):
    def for_user(self, user: Any) -> ImprovementActionChangeQuerySet:
        """The history of the plans ``user`` may see."""
        return self.filter(authority__in=Authority.objects.for_user(user, Action.VIEW))


class ImprovementActionChange(PlanChange):
    """One action added, changed or removed: who, when, the action before and after, and why.
    ``old`` and ``new`` hold what the person saw (``ACTION_FIELDS``), so the record stays whole
    when the action, its measures or its inspection change again or are removed."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="improvement_action_changes"
    )
    action = models.ForeignKey(
        ImprovementAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        help_text="Empty once the action has been removed.",
    )
    version = models.PositiveIntegerField(
        help_text="The action's version after the change (before it, for a removal)."
    )

    objects = ImprovementActionChangeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["authority", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["authority", "changed_at"], name="action_change_by_time")]

    def __str__(self) -> str:
        shown = self.new or self.old
        return f"{self.authority_id} {shown.get('description', '')[:40]}: {self.get_kind_display()}"


# What an action's history keeps of it, in the order a person reads them.
ACTION_FIELDS = ("description", "owner", "due_date", "status", "indicators", "inspection")


def inspection_words(inspection: Inspection) -> str:
    """An inspection as a person picks it from a list: kind, framework, date and judgement."""
    grade = inspection.get_overall_grade_display() or "not graded"
    day = inspection.start_date
    return (
        f"{inspection.get_kind_display()} ({inspection.framework}), "
        f"{day.day} {day:%B} {day.year}: {grade}"
    )


def action_snapshot(action: ImprovementAction, indicators: list[Indicator]) -> dict[str, Any]:
    """The action as its history keeps it: plain JSON, measures by code and name (sorted), the
    inspection in words. ``indicators`` are the action's measures (passed in: a new action has
    no many-to-many rows until it is saved)."""
    return {
        "description": action.description,
        "owner": action.owner,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "indicators": [
            {"code": i.code, "name": i.name} for i in sorted(indicators, key=lambda i: i.code)
        ],
        "inspection": inspection_words(action.inspection) if action.inspection else "",
        "inspection_id": action.inspection_id,
    }


# --- milestones: a target for an indicator by a date, every change kept ---


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


# --- milestones: every change kept -------------------------------------------------------------


class MilestoneChangeQuerySet(AppendOnlyQuerySet["MilestoneChange"]):
    def for_user(self, user: Any) -> MilestoneChangeQuerySet:
        """The history of the plans ``user`` may manage (approvers and administrators)."""
        return self.filter(authority__in=Authority.objects.for_user(user, Action.MANAGE_PLAN))


class MilestoneChange(PlanChange):
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

    objects = MilestoneChangeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["authority", "-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["authority", "changed_at"], name="milestone_change_by_time")
        ]

    def __str__(self) -> str:
        shown = self.new or self.old
        return f"{self.authority_id} {shown.get('indicator', '')}: {self.get_kind_display()}"


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
