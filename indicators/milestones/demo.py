"""A simulated improvement plan for the demo authority whose users ``load_demo`` prints.

Entered through the services as the demo approver, so the plan's history reads as it would in
use. Dates are set from today, so the plan always shows every standing: done, red (overdue and
blocked), amber and green. Running it again replaces the plan and its history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from authorities.models import Authority
from indicators.models import Indicator

from . import services
from .models import ActionStatus, ImprovementAction, ImprovementActionChange

SIMULATED_REASON = "Simulated demo plan"

# (what, owner, days from today, status, measures, answers the latest inspection)
ACTIONS = [
    (
        "Recruit permanent team managers for the assessment teams and reduce reliance on agency "
        "staff",
        "Head of Service, Assessment",
        60,
        ActionStatus.IN_PROGRESS,
        ["agency_sw_pct", "sw_vacancy_pct"],
        True,
    ),
    (
        "Bring average caseloads below 20 in the safeguarding teams",
        "Director of Children's Services",
        150,
        ActionStatus.IN_PROGRESS,
        ["avg_caseload"],
        True,
    ),
    (
        "Audit every child protection plan open for more than 18 months",
        "Principal Social Worker",
        -20,
        ActionStatus.NOT_STARTED,
        ["cp_plans_repeat_pct"],
        False,
    ),
    (
        "Set up a single front door for contacts with partner agencies",
        "Head of the Multi-Agency Safeguarding Hub",
        20,
        ActionStatus.NOT_STARTED,
        ["contacts_decided_1wd_pct"],
        False,
    ),
    (
        "Introduce monthly audits of supervision records",
        "Practice Improvement Lead",
        -60,
        ActionStatus.DONE,
        ["supervision_in_time_pct"],
        False,
    ),
    (
        "Replace the case management system's performance reports",
        "Head of Performance and Intelligence",
        90,
        ActionStatus.BLOCKED,
        [],
        False,
    ),
]


@transaction.atomic
def create_demo_plan(
    authority: Authority, *, planner: Any, today: datetime.date | None = None
) -> int:
    """Replace every simulated authority's plan, then give ``authority`` the demo plan, added by
    ``planner`` (the demo approver). Returns the number of actions."""
    if not authority.is_demo:
        raise ValueError(f"{authority.name} is not simulated: the demo plan is for demo data")
    day = today or timezone.localdate()
    demo = Authority.objects.filter(is_demo=True)
    # Simulated history is replaced with the simulated plan: the base manager, as the collector
    # uses when an authority is removed, since the history itself refuses deletes.
    ImprovementActionChange._base_manager.filter(authority__in=demo).delete()
    ImprovementAction.objects.filter(authority__in=demo).delete()
    inspection = authority.inspections.exclude(overall_grade="").order_by("-start_date").first()
    indicators = Indicator.objects.in_bulk(field_name="code")
    for description, owner, days, status, codes, answers in ACTIONS:
        services.add_action(
            authority=authority,
            description=description,
            owner=owner,
            due_date=day + datetime.timedelta(days=days),
            status=status,
            indicators=[indicators[code] for code in codes if code in indicators],
            inspection=inspection if answers else None,
            user=planner,
            reason=SIMULATED_REASON,
        )
    return len(ACTIONS)
