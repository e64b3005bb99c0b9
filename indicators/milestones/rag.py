"""Red, amber or green for an improvement-plan action, worked out from its status and due date.

The rule is written once, here, and the plan page shows ``RULE`` word for word:

- done: "Done", no red, amber or green;
- past its due date and not done: red (overdue);
- blocked: red;
- not started and due within ``DUE_SOON_DAYS`` days (today included): amber;
- otherwise: green.

Pure functions, no database: ``today`` is always given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from authorities.dates import long_date

from .models import ActionStatus

DUE_SOON_DAYS = 28
RED, AMBER, GREEN, DONE = "red", "amber", "green", "done"

RULE = (
    "Red: past its due date and not done, or blocked. "
    f"Amber: not started and due within {DUE_SOON_DAYS} days. "
    "Green: any other action not yet done. "
    "Done: finished, so no longer red, amber or green."
)

TAG_CLASSES = {
    RED: "govuk-tag--red",
    AMBER: "govuk-tag--yellow",
    GREEN: "govuk-tag--green",
    DONE: "govuk-tag--grey",
}
LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", DONE: "Done"}


@dataclass(frozen=True)
class ActionRag:
    """An action's standing: ``rag`` is red, amber, green or done; ``reason`` says why in
    words, so colour is never the only signal."""

    rag: str
    reason: str
    overdue: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.rag]

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.rag]


def is_overdue(*, status: str, due_date: datetime.date, today: datetime.date) -> bool:
    """Past its due date and not done (``ImprovementActionQuerySet.overdue`` in SQL)."""
    return status != ActionStatus.DONE and due_date < today


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def action_rag(*, status: str, due_date: datetime.date, today: datetime.date) -> ActionRag:
    """The action's red, amber, green or done, with the reason (see ``RULE``)."""
    if status == ActionStatus.DONE:
        return ActionRag(DONE, "finished")
    if is_overdue(status=status, due_date=due_date, today=today):
        reason = f"overdue, due by {long_date(due_date)}"
        if status == ActionStatus.BLOCKED:
            reason += ", and it is blocked"
        return ActionRag(RED, reason, overdue=True)
    if status == ActionStatus.BLOCKED:
        return ActionRag(RED, "blocked")
    days_left = (due_date - today).days
    due = "due today" if days_left == 0 else f"due in {_days(days_left)}"
    if status == ActionStatus.NOT_STARTED and days_left <= DUE_SOON_DAYS:
        return ActionRag(AMBER, f"not started and {due}")
    return ActionRag(GREEN, due)
