"""Writes to the improvement plan and its milestones: keyword-only, typed, atomic. Each checks
who is asking and keeps what changed (who, when, before, after, why); a change to an action made
from a page showing an older version of it than the one saved now is refused."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from authorities.models import Action, Authority, Inspection, actions_for
from indicators.models import Indicator

from .models import (
    ActionStatus,
    ImprovementAction,
    ImprovementActionChange,
    Milestone,
    MilestoneChange,
    MilestoneChangeKind,
    PlanChangeKind,
    action_snapshot,
    milestone_snapshot,
)

User = AbstractBaseUser | AnonymousUser


class PlanRefused(PermissionDenied):
    """Someone who may not change the authority's improvement plan tried to."""


class StaleAction(Exception):
    """The person saw an older version of the action than the one saved now."""

    def __init__(self, current: ImprovementAction, latest: ImprovementActionChange | None):
        super().__init__(
            f"The action has changed since you opened it (now version {current.version})"
        )
        self.current = current
        self.latest = latest  # who changed it last, and when


def refusal(authority: Authority) -> str:
    return (
        f"Only approvers and administrators of {authority.name} can change its improvement "
        "plan. Sign in with an account that manages this plan, or ask an administrator to "
        "give your account that role."
    )


def may_manage(user: Any, authority: Authority) -> bool:
    """Approvers and administrators of the authority, and national administrators."""
    return Action.MANAGE_PLAN in actions_for(user, authority)


def _require_manager(user: Any, authority: Authority) -> None:
    if not may_manage(user, authority):
        raise PlanRefused(refusal(authority))


def _record(
    *,
    action: ImprovementAction,
    kind: str,
    old: dict[str, Any],
    new: dict[str, Any],
    user: Any,
    reason: str,
) -> ImprovementActionChange:
    return ImprovementActionChange.objects.create(
        authority_id=action.authority_id,
        action=None if kind == PlanChangeKind.REMOVED else action,
        kind=kind,
        old=old,
        new=new,
        changed_by=user if user.is_authenticated else None,
        changed_at=timezone.now(),
        reason=reason.strip(),
        version=action.version,
    )


def _fill(
    action: ImprovementAction,
    *,
    description: str,
    owner: str,
    due_date: datetime.date,
    status: str,
    inspection: Inspection | None,
) -> None:
    action.description = description.strip()
    action.owner = owner.strip()
    action.due_date = due_date
    action.status = status
    action.inspection = inspection
    problems: dict[str, str] = {}
    if not action.description:
        problems["description"] = "Enter what will be done"
    if not action.owner:
        problems["owner"] = "Enter who owns the action: a name or a role"
    if status not in ActionStatus.values:
        problems["status"] = "Choose a status from the list"
    if problems:
        raise ValidationError(problems)
    action.full_clean()


def _locked(action: ImprovementAction) -> ImprovementAction:
    """The action as stored now, locked until the end of the transaction (404 if removed)."""
    return (
        ImprovementAction.objects.select_for_update(of=("self",))
        .select_related("authority", "inspection")
        .get(pk=action.pk)
    )


def _check_version(action: ImprovementAction, version: int) -> None:
    if version != action.version:
        latest = ImprovementActionChange.objects.filter(action=action).order_by("-pk").first()
        raise StaleAction(action, latest)


@transaction.atomic
def add_action(
    *,
    authority: Authority,
    description: str,
    owner: str,
    due_date: datetime.date,
    status: str = ActionStatus.NOT_STARTED,
    indicators: Iterable[Indicator] = (),
    inspection: Inspection | None = None,
    user: User,
    reason: str = "",
) -> ImprovementAction:
    """Add an action to the authority's plan and record it as added."""
    _require_manager(user, authority)
    action = ImprovementAction(authority=authority)
    _fill(
        action,
        description=description,
        owner=owner,
        due_date=due_date,
        status=status,
        inspection=inspection,
    )
    measures = list(indicators)
    action.save()
    action.indicators.set(measures)
    _record(
        action=action,
        kind=PlanChangeKind.ADDED,
        old={},
        new=action_snapshot(action, measures),
        user=user,
        reason=reason,
    )
    return action


@transaction.atomic
def change_action(
    *,
    action: ImprovementAction,
    version: int,
    description: str,
    owner: str,
    due_date: datetime.date,
    status: str,
    indicators: Iterable[Indicator] = (),
    inspection: Inspection | None = None,
    user: User,
    reason: str = "",
) -> ImprovementActionChange | None:
    """Change an action, recording before and after; None when nothing differs (nothing is
    saved and the version stays). ``version`` is the version the person's page showed."""
    action = _locked(action)
    _require_manager(user, action.authority)
    _check_version(action, version)
    old = action_snapshot(action, list(action.indicators.all()))
    measures = list(indicators)
    _fill(
        action,
        description=description,
        owner=owner,
        due_date=due_date,
        status=status,
        inspection=inspection,
    )
    new = action_snapshot(action, measures)
    if new == old:
        return None
    action.version += 1
    action.save()
    action.indicators.set(measures)
    return _record(
        action=action, kind=PlanChangeKind.CHANGED, old=old, new=new, user=user, reason=reason
    )


@transaction.atomic
def remove_action(
    *, action: ImprovementAction, version: int, user: User, reason: str = ""
) -> ImprovementActionChange:
    """Remove an action, keeping what it was, who removed it, when and why."""
    action = _locked(action)
    _require_manager(user, action.authority)
    _check_version(action, version)
    change = _record(
        action=action,
        kind=PlanChangeKind.REMOVED,
        old=action_snapshot(action, list(action.indicators.all())),
        new={},
        user=user,
        reason=reason,
    )
    action.delete()
    return change


# --- milestones: a target for an indicator by a date, every change kept -----------------------


class MilestoneRefused(PermissionDenied):
    """Someone who may not change the authority's improvement plan tried to."""


def _require_plan_manager(user: Any, authority: Authority) -> None:
    if not may_manage(user, authority):
        raise MilestoneRefused(refusal(authority))


def _milestone_change(
    *,
    authority: Authority,
    milestone: Milestone | None,
    kind: str,
    old: dict[str, Any],
    new: dict[str, Any],
    user: Any,
    reason: str,
) -> MilestoneChange:
    return MilestoneChange.objects.create(
        authority=authority,
        milestone=milestone,
        kind=kind,
        old=old,
        new=new,
        changed_by=user if user.is_authenticated else None,
        changed_at=timezone.now(),
        reason=reason.strip(),
    )


@dataclass
class MilestoneSaved:
    milestone: Milestone
    change: MilestoneChange | None  # None when nothing differed from what was saved


@transaction.atomic
def save_milestone(
    *,
    authority: Authority,
    indicator: Indicator,
    due_date: datetime.date,
    value: float,
    tolerance: float,
    note: str,
    user: AbstractBaseUser | AnonymousUser,
    milestone: Milestone | None = None,
    reason: str = "",
) -> MilestoneSaved:
    """Create a milestone, or change one, for the authority's improvement plan, keeping a
    MilestoneChange with who, when, the milestone before and after, and the reason given."""
    _require_plan_manager(user, authority)
    if milestone is None:
        old: dict[str, Any] = {}
        milestone = Milestone(authority=authority)
        milestone.created_by = user if user.is_authenticated else None  # type: ignore[assignment]
    else:
        # Read back what is stored (a form may already have changed the instance in memory).
        milestone = (
            Milestone.objects.select_for_update().select_related("indicator").get(pk=milestone.pk)
        )
        if milestone.authority_id != authority.pk:
            raise ValueError("A milestone cannot move to another authority")
        old = milestone_snapshot(milestone)
    milestone.indicator = indicator
    milestone.due_date = due_date
    milestone.value = value
    milestone.tolerance = tolerance
    milestone.note = note
    milestone.full_clean()
    new = milestone_snapshot(milestone)
    if old == new:
        return MilestoneSaved(milestone, None)
    milestone.save()
    change = _milestone_change(
        authority=authority,
        milestone=milestone,
        kind=MilestoneChangeKind.CHANGED if old else MilestoneChangeKind.ADDED,
        old=old,
        new=new,
        user=user,
        reason=reason,
    )
    return MilestoneSaved(milestone, change)


@transaction.atomic
def delete_milestone(
    *, milestone: Milestone, user: AbstractBaseUser | AnonymousUser, reason: str = ""
) -> MilestoneChange:
    """Remove a milestone, keeping what it was, who removed it, when and why."""
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("indicator", "authority")
        .get(pk=milestone.pk)
    )
    _require_plan_manager(user, milestone.authority)
    change = _milestone_change(
        authority=milestone.authority,
        milestone=None,
        kind=MilestoneChangeKind.REMOVED,
        old=milestone_snapshot(milestone),
        new={},
        user=user,
        reason=reason,
    )
    milestone.delete()
    return change
