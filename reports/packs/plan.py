"""The improvement plan's section of the pack: one row per action, as the pack keeps it."""

from __future__ import annotations

import datetime
from typing import Any

from authorities import dates
from authorities.models import Authority

# The improvement plan (issue 17, item 3) is being built on another branch
# (indicators/milestones/). Until it lands its model cannot be imported and the pack says no
# actions are recorded. The lead removes this guard (and the ``None`` branch of plan_summary)
# when the plan is merged.
try:
    from indicators.milestones import rag as plan_rag
    from indicators.milestones.models import ImprovementAction, inspection_words
except ImportError:
    ImprovementAction = None  # type: ignore[assignment,misc]
    plan_rag = None  # type: ignore[assignment]
    inspection_words = None  # type: ignore[assignment]

NO_ACTIONS = "No improvement plan actions recorded"


def plan_available() -> bool:
    return ImprovementAction is not None


def plan_summary(authority: Authority, *, today: datetime.date | None = None) -> list[dict]:
    """The authority's improvement plan actions as plain rows (JSON, for the snapshot): each
    with its description, owner, due date, status, red/amber/green by the plan's own rule (with
    the reason in words), the measures it is linked to and the inspection whose recommendation
    it answers. Two queries."""
    if ImprovementAction is None:
        return []
    today = today or datetime.date.today()
    actions: Any = (
        ImprovementAction.objects.filter(authority=authority)
        .select_related("inspection")
        .prefetch_related("indicators")
        .order_by("due_date", "pk")
    )
    rows = []
    for action in actions:
        standing = plan_rag.action_rag(status=action.status, due_date=action.due_date, today=today)
        rows.append(
            {
                "id": action.pk,
                "description": action.description,
                "owner": action.owner,
                "due_date": action.due_date.isoformat(),
                "due_words": dates.long_date(action.due_date),
                "status": action.status,
                "status_words": str(action.get_status_display()),
                "rag": standing.rag,
                "rag_words": standing.label,
                "rag_reason": standing.reason,
                "measures": sorted(indicator.name for indicator in action.indicators.all()),
                "inspection": inspection_words(action.inspection) if action.inspection else "",
            }
        )
    return rows
