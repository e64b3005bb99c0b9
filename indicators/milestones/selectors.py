"""Reads of the improvement plan: the plan page, its summary (for the authority page, the
watchlist and the board pack) and its history. Each is scoped to what the person may see and
costs a fixed number of queries, whatever the number of actions or authorities."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from authorities.dates import long_date
from authorities.models import Action, Authority
from indicators.models import Indicator

from . import rag
from .history import Difference  # one shape for a change's before and after
from .models import (
    ACTION_FIELDS,
    ActionStatus,
    ImprovementAction,
    ImprovementActionChange,
    PlanChangeKind,
)


def may_see(user: Any, authority: Authority) -> bool:
    """The authority's members (every role) and DfE users; administrators. One query."""
    return Authority.objects.for_user(user, Action.VIEW).filter(pk=authority.pk).exists()


@dataclass
class PlannedAction:
    """An action as the plan shows it, with its red, amber, green or done."""

    action: ImprovementAction
    standing: rag.ActionRag
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class PlanSummary:
    """How the plan stands: how many actions are red, amber, green and done, and the overdue
    ones, most overdue first."""

    authority: Authority
    today: datetime.date
    counts: dict[str, int]
    overdue: list[PlannedAction]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return self.total - self.counts[rag.DONE]

    @property
    def tallies(self) -> list[tuple[str, str, int]]:
        """(label, tag class, count) for red, amber, green and done, in that order."""
        return [
            (rag.LABELS[key], rag.TAG_CLASSES[key], self.counts[key])
            for key in (rag.RED, rag.AMBER, rag.GREEN, rag.DONE)
        ]


@dataclass
class Plan:
    authority: Authority
    today: datetime.date
    rows: list[PlannedAction]

    @property
    def summary(self) -> PlanSummary:
        return summarise(self.authority, self.rows, self.today)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _planned(action: ImprovementAction, today: datetime.date) -> PlannedAction:
    standing = rag.action_rag(status=action.status, due_date=action.due_date, today=today)
    return PlannedAction(action, standing, list(action.indicators.all()))


def _visible(user: Any) -> Any:
    return (
        ImprovementAction.objects.for_user(user)
        .select_related("inspection")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("sort_order")))
    )


def plan(user: Any, authority: Authority, *, today: datetime.date | None = None) -> Plan:
    """Every action in the authority's plan that ``user`` may see (none for anyone else): open
    actions by due date, then those done. Three queries."""
    day = _today(today)
    actions = _visible(user).filter(authority=authority).order_by("due_date", "pk")
    rows = [_planned(action, day) for action in actions]
    rows.sort(key=lambda row: row.action.status == ActionStatus.DONE)
    return Plan(authority, day, rows)


def summarise(
    authority: Authority, rows: Iterable[PlannedAction], today: datetime.date
) -> PlanSummary:
    counts = dict.fromkeys((rag.RED, rag.AMBER, rag.GREEN, rag.DONE), 0)
    overdue = []
    for row in rows:
        counts[row.standing.rag] += 1
        if row.standing.overdue:
            overdue.append(row)
    overdue.sort(key=lambda row: (row.action.due_date, row.action.pk))
    return PlanSummary(authority, today, counts, overdue)


def plan_summary(
    authority: Authority, *, user: Any, today: datetime.date | None = None
) -> PlanSummary | None:
    """The plan's status for the authority page and the board pack: counts by red, amber,
    green and done, and the overdue actions. None when ``user`` may not see the plan."""
    if not may_see(user, authority):
        return None
    return plan(user, authority, today=today).summary


def overdue_by_authority(
    authority_ids: Iterable[int], *, user: Any, today: datetime.date
) -> dict[int, list[ImprovementAction]]:
    """Overdue actions of each authority ``user`` may see the plan of, most overdue first.
    One query, whatever the number of authorities."""
    found: dict[int, list[ImprovementAction]] = defaultdict(list)
    actions = (
        ImprovementAction.objects.for_user(user)
        .overdue(today)
        .filter(authority_id__in=list(authority_ids))
        .order_by("due_date", "pk")
    )
    for action in actions:
        found[action.authority_id].append(action)
    return found


# --- the history --------------------------------------------------------------------------

LABELS = {
    "description": "What will be done",
    "owner": "Owner",
    "due_date": "Due by",
    "status": "Status",
    "indicators": "Linked measures",
    "inspection": "Inspection",
}


@dataclass
class HistoryRow:
    change: ImprovementActionChange
    description: str
    differences: list[Difference] = field(default_factory=list)

    @property
    def added(self) -> bool:
        return self.change.kind == PlanChangeKind.ADDED

    @property
    def removed(self) -> bool:
        return self.change.kind == PlanChangeKind.REMOVED


def _text(name: str, snapshot: dict[str, Any]) -> str:
    value = snapshot.get(name)
    if value is None or value == "" or value == []:
        return ""
    if name == "due_date":
        try:
            return long_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if name == "status":
        return str(ActionStatus(value).label) if value in ActionStatus.values else str(value)
    if name == "indicators" and isinstance(value, list):
        return "; ".join(str(item.get("name", item.get("code", ""))) for item in value)
    return str(value)


def _row(change: ImprovementActionChange) -> HistoryRow:
    old, new = change.old or {}, change.new or {}
    differences = []
    for name in ACTION_FIELDS:
        before, after = _text(name, old), _text(name, new)
        if before != after:
            differences.append(Difference(LABELS[name], before, after))
    shown = new or old
    return HistoryRow(change, str(shown.get("description", "")), differences)


def history(user: Any, authority: Authority) -> list[HistoryRow]:
    """Every action added, changed or removed in the authority's plan, newest first, if
    ``user`` may see the plan. One query."""
    changes = ImprovementActionChange.objects.for_user(user).filter(authority=authority)
    return [_row(change) for change in changes.order_by("-changed_at", "-pk")]
