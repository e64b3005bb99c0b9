"""Monthly return figures computed from an Annex A workbook: the pure engine.

No Django, no database, no files: bytes in, aggregates out. The web upload, return drafts, team
page and provenance page call ``analyse`` (or the steps it joins) from their services.

    analysis = analyse(data, timescales=Timescales(), caseload_threshold=20)
    analysis.monthly.figures   # per measure and month: value, numerator, denominator, reason
    analysis.quality           # per list and column: what could not be read, by row number
    analysis.teams.rows        # per team and month: counts only
    analysis.teams.workers     # worker names: for the uploader's page only
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from indicators.annex_a.period import Period
from indicators.annex_a.quality import Issue, IssueKind, QualityReport
from indicators.annex_a.reader import (
    DEFAULT_LIMITS,
    AnnexA,
    Limits,
    UnreadableWorkbook,
    WorkbookTooLarge,
    read_workbook,
)
from indicators.annex_a.rules import (
    DEFAULT_TIMESCALES,
    HAND_ENTERED,
    MEASURES,
    MEASURES_BY_CODE,
    RULES_VERSION,
    Figure,
    Measure,
    MonthlyResult,
    Status,
    Timescales,
    compute_months,
)
from indicators.annex_a.teams import (
    DEFAULT_CASELOAD_THRESHOLD,
    TeamMonth,
    TeamResult,
    WorkerLoad,
    compute_teams,
)

__all__ = [
    "DEFAULT_CASELOAD_THRESHOLD",
    "DEFAULT_LIMITS",
    "DEFAULT_TIMESCALES",
    "HAND_ENTERED",
    "MEASURES",
    "MEASURES_BY_CODE",
    "RULES_VERSION",
    "Analysis",
    "AnnexA",
    "Figure",
    "Issue",
    "IssueKind",
    "Limits",
    "Measure",
    "MonthlyResult",
    "Period",
    "QualityReport",
    "Status",
    "TeamMonth",
    "TeamResult",
    "Timescales",
    "UnreadableWorkbook",
    "WorkbookTooLarge",
    "WorkerLoad",
    "analyse",
    "compute_months",
    "compute_teams",
    "read_workbook",
]


@dataclass(frozen=True)
class Analysis:
    sha256: str  # of the uploaded bytes, for the provenance page
    rows_read: int  # data rows read across the lists the measures use
    monthly: MonthlyResult
    teams: TeamResult

    @property
    def quality(self) -> QualityReport:
        return self.monthly.quality

    @property
    def rules_version(self) -> str:
        return self.monthly.rules_version


def analyse(
    data: bytes,
    *,
    timescales: Timescales = DEFAULT_TIMESCALES,
    period: Period | tuple[dt.date, dt.date] | None = None,
    caseload_threshold: int = DEFAULT_CASELOAD_THRESHOLD,
    limits: Limits = DEFAULT_LIMITS,
) -> Analysis:
    """Read the workbook and compute everything. Raises UnreadableWorkbook (with a message fit
    to show the uploader) only for a file that cannot be read at all."""
    digest = hashlib.sha256(data).hexdigest()
    annex = read_workbook(data, limits=limits)
    monthly = compute_months(annex, timescales=timescales, period=period)
    teams = compute_teams(
        annex,
        timescales=timescales,
        period=monthly.period,
        caseload_threshold=caseload_threshold,
    )
    return Analysis(digest, annex.rows_read, monthly, teams)
