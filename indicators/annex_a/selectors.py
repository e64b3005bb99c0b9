"""Reads for the Annex A journey: an upload's figures laid beside each month's return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from authorities.models import Action, Authority
from indicators.annex_a.models import AnnexAUpload
from indicators.models import Indicator, MonthlyReturn, ReturnStatus, ReturnValue
from indicators.returns import selectors as returns_selectors
from indicators.returns import validation

LOCKED = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


class Outcome(StrEnum):
    FILLS = "fills"  # the draft field is empty: the figure goes in
    REPLACES = "replaces"  # the draft holds a different figure: the computed one replaces it
    SAME = "same"  # the return already holds this figure
    DIFFERS = "differs"  # submitted or approved with a different figure: left, shown
    NOT_COMPUTED = "not_computed"  # the workbook could not give it (reason said)


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    figure: dict[str, Any]
    saved: ReturnValue | None
    previous: float | None  # last month's published figure
    outcome: Outcome

    @property
    def computed_text(self) -> str:
        value = self.figure.get("value")
        return "" if value is None else validation.shown(float(value), self.indicator)

    @property
    def saved_text(self) -> str:
        value = self.saved.value if self.saved else None
        return "" if value is None else validation.shown(value, self.indicator)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else validation.shown(self.previous, self.indicator)

    @property
    def parts(self) -> str:
        numerator, denominator = self.figure.get("numerator"), self.figure.get("denominator")
        if not self.computed_text or not validation.is_ratio(self.indicator):
            return ""
        if numerator is None or denominator is None:
            return ""
        return f"{numerator:,} of {denominator:,}"


@dataclass(frozen=True)
class MonthLines:
    month: datetime.date
    monthly_return: MonthlyReturn | None
    lines: list[Line] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return self.monthly_return is not None and self.monthly_return.status in LOCKED

    def count(self, outcome: Outcome) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


def upload_for(user: Any, authority: Authority, pk: int) -> AnnexAUpload | None:
    """The upload, if it is the authority's and ``user`` may edit its returns."""
    return (
        AnnexAUpload.objects.filter(
            authority__in=Authority.objects.for_user(user, Action.EDIT), authority=authority
        )
        .select_related("authority")
        .filter(pk=pk)
        .first()
    )


def _same(saved: ReturnValue, figure: dict[str, Any], ratio: bool) -> bool:
    if ratio:
        return saved.numerator == figure["numerator"] and saved.denominator == figure["denominator"]
    return saved.value == figure["value"]


def _outcome(
    figure: dict[str, Any], saved: ReturnValue | None, ratio: bool, locked: bool
) -> Outcome:
    if figure["status"] != "computed" or figure["value"] is None:
        return Outcome.NOT_COMPUTED
    if saved is not None and saved.value is not None:
        if _same(saved, figure, ratio):
            return Outcome.SAME
        return Outcome.DIFFERS if locked else Outcome.REPLACES
    return Outcome.DIFFERS if locked else Outcome.FILLS


def comparison(upload: AnnexAUpload) -> list[MonthLines]:
    """For each month the workbook fully covers: every computed figure in the monthly return,
    beside the return's saved figure and last month's published one."""
    authority = upload.authority
    indicators = {i.code: i for i in returns_selectors.month_indicators()}
    returns = {
        r.month: r
        for r in MonthlyReturn.objects.filter(
            authority=authority, month__in=[datetime.date.fromisoformat(m) for m in upload.months]
        )
    }
    result = []
    for iso in upload.months:
        month = datetime.date.fromisoformat(iso)
        monthly_return = returns.get(month)
        saved = returns_selectors.saved_values(monthly_return)
        beside = returns_selectors.figures_beside(authority, month, list(indicators.values()))
        locked = monthly_return is not None and monthly_return.status in LOCKED
        lines = [
            Line(
                indicator=indicators[figure["measure"]],
                figure=figure,
                saved=saved.get(figure["measure"]),
                previous=beside[figure["measure"]].previous_value,
                outcome=_outcome(
                    figure,
                    saved.get(figure["measure"]),
                    validation.is_ratio(indicators[figure["measure"]]),
                    locked,
                ),
            )
            for figure in upload.figures
            if figure["month"] == iso and figure["measure"] in indicators
        ]
        lines.sort(key=lambda line: line.indicator.sort_order)
        result.append(MonthLines(month, monthly_return, lines))
    return result


def provenance(upload: AnnexAUpload | None, figure_code: str, month: datetime.date) -> str:
    """The sentence a computed figure's source page shows."""
    if upload is None:
        return ""
    when = upload.uploaded_at
    words = (
        f"Computed from Annex A uploaded by {upload.uploaded_by_name or 'a removed account'} "
        f"on {when.day} {when:%B %Y}, file SHA-256 {upload.sha256}, "
        f"{upload.rows_used:,} rows used, rules version {upload.rules_version}"
    )
    figure = upload.figure(figure_code, month)
    if figure and figure.get("numerator") is not None and figure.get("denominator") is not None:
        words += f", {figure['numerator']:,} of {figure['denominator']:,}"
    return words


@dataclass(frozen=True)
class ListQuality:
    number: int | None
    title: str
    sheet: str | None
    rows: int | None
    columns_missing: list[str]
    issues: list[dict[str, Any]]


def _measure_names(codes: list[str]) -> list[str]:
    from indicators.annex_a import MEASURES_BY_CODE

    return [MEASURES_BY_CODE[c].name if c in MEASURES_BY_CODE else c for c in codes]


def quality_by_list(quality: dict[str, Any]) -> list[ListQuality]:
    """The stored quality report, list by list (issues about the workbook as a whole first)."""
    issues = [
        {**issue, "stops_names": _measure_names(issue.get("stops", []))}
        for issue in quality.get("issues", [])
    ]
    whole = [issue for issue in issues if issue["list"] is None]
    found = [ListQuality(None, "The workbook as a whole", None, None, [], whole)] if whole else []
    for summary in quality.get("lists", []):
        found.append(
            ListQuality(
                number=summary["list"],
                title=summary["title"],
                sheet=summary["sheet"],
                rows=summary["rows"],
                columns_missing=summary["columns_missing"],
                issues=[issue for issue in issues if issue["list"] == summary["list"]],
            )
        )
    return found


def stopped_measures(upload: AnnexAUpload) -> list[str]:
    """Names of the measures that could not be computed for any month, with the reason (one
    recorded only as at the workbook's last day is computed for that month, so not listed)."""
    indicators = {i.code for i in returns_selectors.month_indicators()}
    computed = {f["measure"] for f in upload.figures if f["status"] != "not_computable"}
    seen: dict[str, str] = {}
    for figure in upload.figures:
        code = figure["measure"]
        if figure["status"] == "not_computable" and code in indicators and code not in computed:
            seen.setdefault(code, figure["reason"])
    names = _measure_names(list(seen))
    return [
        f"{name}: {reason}" if reason else name
        for name, reason in zip(names, seen.values(), strict=True)
    ]


# --- the team page -------------------------------------------------------------------------


def may_see_teams(user: Any, authority: Authority) -> bool:
    """Team figures are the authority's own: its members, whatever their role, and nobody
    else (not DfE or national roles, not a superuser through the back door)."""
    from authorities.models import Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, authority=authority).exists()


@dataclass(frozen=True)
class TeamTable:
    month: datetime.date
    threshold: int
    rows: list[Any]  # TeamMonth, furthest from the caseload milestone first
    uploaded_at: datetime.datetime


def _exception_order(row: Any) -> tuple[int, int, int, str]:
    return (
        -(row.workers_over_threshold or 0),
        -(row.children_per_worker_max or 0),
        -(row.unallocated or 0),
        row.team,
    )


def team_tables(user: Any, authority: Authority) -> list[TeamTable]:
    """Each month's teams from the latest accepted upload covering it, latest month first.
    Empty for anyone who is not a member of the authority (the queryset says so too)."""
    from indicators.annex_a.models import TeamMonth

    if not may_see_teams(user, authority):
        return []
    uploads = AnnexAUpload.objects.filter(
        authority=authority,
        authority__memberships__user=user,
        accepted_at__isnull=False,
    ).order_by("-uploaded_at")
    chosen: dict[str, AnnexAUpload] = {}
    for upload in uploads:
        for month in upload.months:
            chosen.setdefault(month, upload)
    tables = []
    for iso in sorted(chosen, reverse=True):
        upload = chosen[iso]
        month = datetime.date.fromisoformat(iso)
        rows = sorted(TeamMonth.objects.filter(upload=upload, month=month), key=_exception_order)
        tables.append(TeamTable(month, upload.caseload_threshold, rows, upload.uploaded_at))
    return tables
