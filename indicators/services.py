"""Writes with rules: keyword-only, typed, atomic."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from authorities.models import Authority

from .models import Indicator, Milestone


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
) -> Milestone:
    """Create a milestone, or change one, for the authority's improvement plan."""
    if milestone is None:
        milestone = Milestone(authority=authority)
        milestone.created_by = user if user.is_authenticated else None  # type: ignore[assignment]
    elif milestone.authority_id != authority.pk:
        raise ValueError("A milestone cannot move to another authority")
    milestone.indicator = indicator
    milestone.due_date = due_date
    milestone.value = value
    milestone.tolerance = tolerance
    milestone.note = note
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def delete_milestone(*, milestone: Milestone) -> None:
    milestone.delete()
