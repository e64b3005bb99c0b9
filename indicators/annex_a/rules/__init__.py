"""The monthly measures computed from Annex A, and how each is counted: all in this package.

A change to how anything is counted is a change to ``RULES_VERSION``, which every computed
figure carries, so a figure always says which rules made it. Each measure's description, written
for the page users read, is in ``catalogue.py``; its counter in the module for its group
(``front_door``, ``child_protection``, ``looked_after``, ``caseloads``), joined up in ``monthly``.

Two kinds of measure:

* **Event and state measures** (contacts, referrals, assessments, enquiries, conferences, plans,
  children looked after) come from dates in the lists, so they are given for every calendar
  month the workbook fully covers.
* **As-at measures** (allocation, care leavers' circumstances, latest visits and reviews) are
  recorded in the lists as they stood on the day the workbook was produced. Allocation and care
  leavers are given only for the month ending that day. Visits and reviews are given for any
  month in which no child's latest visit or review came after the month ended (otherwise the
  visit before it, which the lists do not hold, would decide) - in practice, the last month.

Nothing about a single child leaves this package: only counts.
"""

from indicators.annex_a.rules.caseloads import OpenCases, open_cases, worker_key
from indicators.annex_a.rules.catalogue import (
    HAND_ENTERED,
    L6_OPEN,
    L7_OPEN,
    L8_OPEN,
    MEASURES,
    MEASURES_BY_CODE,
)
from indicators.annex_a.rules.common import (
    ASSESSMENT_WORKING_DAYS,
    DEFAULT_TIMESCALES,
    ICPC_WORKING_DAYS,
    MAX_UNREADABLE_SHARE,
    REFERRAL_COUNT_INCLUDES_CURRENT,
    RULES_VERSION,
    Context,
    Figure,
    Measure,
    MonthlyResult,
    Need,
    Status,
    Timescales,
    Unit,
    per_child,
    previous_distinct,
    visit_states,
)
from indicators.annex_a.rules.looked_after import review_states
from indicators.annex_a.rules.monthly import COUNTERS, SNAPSHOT_ONLY, as_period, compute_months

__all__ = [
    "ASSESSMENT_WORKING_DAYS",
    "COUNTERS",
    "DEFAULT_TIMESCALES",
    "HAND_ENTERED",
    "ICPC_WORKING_DAYS",
    "L6_OPEN",
    "L7_OPEN",
    "L8_OPEN",
    "MAX_UNREADABLE_SHARE",
    "MEASURES",
    "MEASURES_BY_CODE",
    "REFERRAL_COUNT_INCLUDES_CURRENT",
    "RULES_VERSION",
    "SNAPSHOT_ONLY",
    "Context",
    "Figure",
    "Measure",
    "MonthlyResult",
    "Need",
    "OpenCases",
    "Status",
    "Timescales",
    "Unit",
    "as_period",
    "compute_months",
    "open_cases",
    "per_child",
    "previous_distinct",
    "review_states",
    "visit_states",
    "worker_key",
]
