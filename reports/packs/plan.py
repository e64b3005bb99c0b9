"""The improvement plan's section of the pack: one row per action, as the pack keeps it."""

from __future__ import annotations

import datetime
from typing import Any

from authorities import dates
from authorities.models import Authority

# The improvement plan (issue 17, item 3) is being built on another branch. Until it lands the
# model cannot be imported and the pack says no actions are recorded. The lead removes this
# guard (and the ``None`` branch below) when the plan is merged.
try:
    from indicators.milestones.models import ImprovementAction
except ImportError:
    ImprovementAction = None  # type: ignore[assignment,misc]

NO_ACTIONS = "No improvement plan actions recorded"


def plan_available() -> bool:
    return ImprovementAction is not None


def _rag(action: Any, today: datetime.date) -> str:
    """The action's red, amber or green, worked out by the plan's own rule."""
    rule = action.rag
    return str(rule(today=today) if callable(rule) else rule)


def plan_summary(authority: Authority, *, today: datetime.date | None = None) -> list[dict]:
    """The authority's improvement plan actions as plain rows (JSON, for the snapshot): each
    with its description, owner, due date, status, red/amber/green, the measures it is linked
    to and the inspection whose recommendation it answers. Two queries."""
    if ImprovementAction is None:
        return []
    today = today or datetime.date.today()
    actions = (
        ImprovementAction.objects.filter(authority=authority)
        .select_related("inspection")
        .prefetch_related("indicators")
        .order_by("due_date", "pk")
    )
    rows = []
    for action in actions:
        inspection = action.inspection
        rows.append(
            {
                "id": action.pk,
                "description": action.description,
                "owner": action.owner,
                "due_date": action.due_date.isoformat() if action.due_date else "",
                "due_words": dates.long_date(action.due_date) if action.due_date else "",
                "status": action.status,
                "status_words": action.get_status_display(),
                "rag": _rag(action, today),
                "measures": [indicator.name for indicator in action.indicators.all()],
                "inspection": (
                    f"{inspection.get_kind_display()} from {inspection.start_date:%d %B %Y}"
                    if inspection is not None
                    else ""
                ),
            }
        )
    return rows
