"""The improvement plan's section of the pack: one row per action, as the pack keeps it."""

from __future__ import annotations

import datetime
from typing import Any

from authorities import dates
from authorities.models import Authority
from indicators.milestones import rag as plan_rag
from indicators.milestones.models import ImprovementAction, inspection_words

NO_ACTIONS = "No improvement plan actions recorded"


def plan_summary(authority: Authority, *, today: datetime.date | None = None) -> list[dict]:
    """The authority's improvement plan actions as plain rows (JSON, for the snapshot): each
    with its description, owner, due date, status, red/amber/green by the plan's own rule (with
    the reason in words), the measures it is linked to and the inspection whose recommendation
    it answers. Two queries."""
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
