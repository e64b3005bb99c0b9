"""The history of an authority's milestones, as its page shows it: every milestone added,
changed or removed, by whom, when, what it was before and after, and why. Two queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from authorities.models import Authority
from authorities.toolkit.numbers import format_change, format_figure
from indicators.milestones.models import MILESTONE_FIELDS, MilestoneChange, MilestoneChangeKind
from indicators.models import Indicator

LABELS = {
    "indicator": "Indicator",
    "due_date": "Due by",
    "value": "Target value",
    "tolerance": "Tolerance for amber",
    "note": "Note",
}


@dataclass
class Difference:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    change: MilestoneChange
    indicator_name: str
    differences: list[Difference] = field(default_factory=list)

    @property
    def added(self) -> bool:
        return self.change.kind == MilestoneChangeKind.ADDED

    @property
    def removed(self) -> bool:
        return self.change.kind == MilestoneChangeKind.REMOVED


def _decimals(value: float, at_least: int) -> int:
    """Enough decimal places to show the number as it was entered (a history hides nothing)."""
    text = f"{value:.6f}".rstrip("0")
    return max(at_least, len(text.partition(".")[2]))


def _text(name: str, snapshot: dict[str, Any], indicators: dict[str, Indicator]) -> str:
    value = snapshot.get(name)
    if value is None or value == "":
        return ""
    if name == "indicator":
        return str(snapshot.get("indicator_name") or value)
    if name == "due_date":
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B} {day.year}"
    if name in ("value", "tolerance") and isinstance(value, int | float):
        indicator = indicators.get(str(snapshot.get("indicator")))
        unit = indicator.unit if indicator else ""
        decimals = _decimals(float(value), indicator.decimals if indicator else 0)
        if name == "tolerance":
            return format_change(float(value), unit, decimals)
        return format_figure(float(value), unit, decimals)
    return str(value)


def _row(change: MilestoneChange, indicators: dict[str, Indicator]) -> HistoryRow:
    old, new = change.old or {}, change.new or {}
    differences = []
    for name in MILESTONE_FIELDS:
        before, after = _text(name, old, indicators), _text(name, new, indicators)
        if before != after:
            differences.append(Difference(LABELS[name], before, after))
    shown = new or old
    return HistoryRow(change, str(shown.get("indicator_name", "")), differences)


def milestone_history(user: Any, authority: Authority) -> list[HistoryRow]:
    """The authority's milestone history, newest first, if ``user`` may manage its plan."""
    changes = list(MilestoneChange.objects.for_user(user).filter(authority=authority))
    codes = {
        str(snapshot.get("indicator"))
        for change in changes
        for snapshot in (change.old, change.new)
        if snapshot
    }
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return [_row(change, indicators) for change in changes]
