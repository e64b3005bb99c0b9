"""Putting it together: every measure for every month, with the reason whenever one cannot be
given, and each data quality issue tied to the measures it affects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from indicators.annex_a import values as v
from indicators.annex_a.period import Period, infer_period, long_date, outside_period_issues
from indicators.annex_a.quality import Issue, IssueKind, QualityReport, plural
from indicators.annex_a.reader import AnnexA
from indicators.annex_a.rules.caseloads import _per_worker, _unallocated
from indicators.annex_a.rules.catalogue import MEASURES
from indicators.annex_a.rules.child_protection import _cp_plans, _repeat_plans
from indicators.annex_a.rules.common import (
    DEFAULT_TIMESCALES,
    MAX_UNREADABLE_SHARE,
    Context,
    Figure,
    Measure,
    MonthlyResult,
    Status,
    Timescales,
    Unit,
    _Tally,
    _Unknown,
    _visits,
)
from indicators.annex_a.rules.front_door import (
    _assessments,
    _contacts,
    _icpc,
    _referrals,
    _rereferrals,
    _s47,
)
from indicators.annex_a.rules.looked_after import _care_leavers, _cla, _reviews
from indicators.annex_a.schema import LISTS, list_title

COUNTERS: dict[str, Callable[[Context, dt.date], _Tally | _Unknown]] = {
    "contacts": _contacts,
    "referrals": _referrals,
    "rereferrals_12m_pct": _rereferrals,
    "assessments_45wd_pct": _assessments,
    "s47_enquiries": _s47,
    "icpc_15wd_pct": _icpc,
    "cp_plans": _cp_plans,
    "cp_plans_repeat_pct": _repeat_plans,
    "cp_visits_in_time_pct": _visits(
        7, ("cp_start", "cp_end", "cp_last_visit"), "children on a plan"
    ),
    "cla": _cla,
    "cla_visits_in_time_pct": _visits(
        8, ("cla_start", "cla_end", "cla_last_visit"), "children looked after"
    ),
    "cla_reviews_in_time_pct": _reviews,
    "care_leavers_eet_pct": _care_leavers("activity", v.EET),
    "care_leavers_accom_pct": _care_leavers("accommodation_suitable", v.SUITABLE),
    "unallocated_cases": _unallocated,
    "children_per_allocated_worker": _per_worker,
}

# Measures known only as at the day the lists were produced, whatever the dates say.
SNAPSHOT_ONLY = {
    "care_leavers_eet_pct",
    "care_leavers_accom_pct",
    "unallocated_cases",
    "children_per_allocated_worker",
}


# --- putting it together -----------------------------------------------------------------------


def _missing(measure: Measure, annex: AnnexA) -> tuple[str, int | None]:
    """Why the workbook cannot give this measure at all (and the list to blame), or ''."""
    for need in measure.needs:
        if need.optional:
            continue
        spec = LISTS[need.list_number]
        data = annex.get(need.list_number)
        if data is None:
            return f"{spec.title} is not in the workbook, or none of it could be read.", spec.number
        absent = [spec.column(k).header for k in need.columns if not data.has(k)]
        if absent:
            names = " and ".join(f"“{h}”" for h in absent)
            return f"{spec.title} has no column like {names}.", spec.number
    return "", None


def _unreadable(measure: Measure, annex: AnnexA) -> tuple[str, int | None, tuple[str, ...]]:
    """(reason to give up, the list to blame, notes) from the share of a list's rows that a
    needed value could not be read in (rows without a child identifier included)."""
    notes = []
    for need in measure.needs:
        data = annex.get(need.list_number)
        if need.optional or data is None:
            continue
        bad = np.zeros(len(data), dtype=bool)
        for key in need.columns:
            bad |= data.bad[key]
        count = int(bad.sum()) + data.dropped
        if not count:
            continue
        rows = len(data) + data.dropped
        share = count / rows
        title = list_title(need.list_number)
        if share > MAX_UNREADABLE_SHARE:
            return (
                f"In {title}, {count:,} of {rows:,} rows ({share:.0%}) have a value this "
                f"measure needs that could not be read: more than "
                f"{MAX_UNREADABLE_SHARE:.0%}, so the figure would mislead. See the data quality "
                "report.",
                need.list_number,
                (),
            )
        notes.append(
            f"{plural(count, 'row')} of {title} left out: a value this measure needs could "
            "not be read (see the data quality report)."
        )
    return "", None, tuple(notes)


def _figure(measure: Measure, month: dt.date, tally: _Tally, notes: tuple[str, ...]) -> Figure:
    every_note = notes + tally.notes
    if measure.unit is Unit.COUNT:
        return Figure(
            measure.code,
            month,
            Status.COMPUTED,
            float(tally.numerator),
            rows_used=tally.rows,
            notes=every_note,
        )
    if not tally.denominator:
        empty = {
            "children_per_allocated_worker": "No open child had an allocated worker.",
        }.get(measure.code, f"There was nothing to count for “{measure.denominator_label}”.")
        return Figure(
            measure.code,
            month,
            Status.NO_CASES,
            None,
            tally.numerator,
            0,
            tally.rows,
            empty,
            every_note,
        )
    scale = 100.0 if measure.unit is Unit.PERCENT else 1.0
    return Figure(
        measure.code,
        month,
        Status.COMPUTED,
        scale * tally.numerator / tally.denominator,
        tally.numerator,
        tally.denominator,
        tally.rows,
        notes=every_note,
    )


def _issue_measures(issue: Issue) -> tuple[str, ...]:
    """The measures that read the list (and column) an issue is about."""
    if issue.list_number is None or issue.kind is IssueKind.BLANK_ROWS:
        return ()
    spec = LISTS.get(issue.list_number)
    if spec is None:
        return ()
    key = next((c.key for c in spec.columns if c.header == issue.column), None)
    column_level = issue.kind not in {
        IssueKind.MISSING_LIST,
        IssueKind.MISSING_CHILD_ID,
        IssueKind.DUPLICATE_ROWS,
        IssueKind.DUPLICATE_SHEET,
    }
    affected = []
    for measure in MEASURES:
        for need in measure.needs:
            if need.list_number != issue.list_number:
                continue
            if column_level and key is not None and key not in need.columns:
                continue
            affected.append(measure.code)
            break
    return tuple(affected)


_MISSING_KINDS = {IssueKind.MISSING_LIST, IssueKind.MISSING_COLUMN}
_UNREADABLE_KINDS = {
    IssueKind.UNREADABLE_DATE,
    IssueKind.UNREADABLE_NUMBER,
    IssueKind.UNKNOWN_CODE,
    IssueKind.ERROR_VALUE,
    IssueKind.FORMULA_WITHOUT_VALUE,
    IssueKind.DATES_OUT_OF_ORDER,
    IssueKind.BLANK_VALUE,
    IssueKind.MISSING_CHILD_ID,
}


def _with_measures(
    report: QualityReport, stopped: dict[str, tuple[int, str]] | None = None
) -> QualityReport:
    """Each issue with the measures it affects, and those it stopped from being computed."""
    stopped = stopped or {}

    def stops(issue: Issue, affected: tuple[str, ...]) -> tuple[str, ...]:
        cause = (
            "missing"
            if issue.kind in _MISSING_KINDS
            else "unreadable"
            if issue.kind in _UNREADABLE_KINDS
            else None
        )
        return tuple(m for m in affected if stopped.get(m) == (issue.list_number, cause))

    issues = []
    for issue in report.issues:
        affected = _issue_measures(issue)
        issues.append(replace(issue, measures=affected, stops=stops(issue, affected)))
    return replace(report, issues=tuple(issues))


def as_period(period: Period | tuple[dt.date, dt.date] | None, annex: AnnexA) -> Period | None:
    if isinstance(period, Period):
        chosen = period
    elif period is not None:
        chosen = Period(period[0], period[1])
    else:
        return infer_period(annex)
    if chosen.end < chosen.start:
        raise ValueError("The period's end must not be before its start.")
    return chosen


def compute_months(
    annex: AnnexA,
    *,
    timescales: Timescales = DEFAULT_TIMESCALES,
    period: Period | tuple[dt.date, dt.date] | None = None,
) -> MonthlyResult:
    """Every measure for every calendar month the workbook fully covers.

    ``period`` is the workbook's period when the uploader knows it; otherwise it is worked out
    from the lists (see ``period.py``). A measure the workbook cannot give gets a figure with
    status NOT_COMPUTABLE and the reason, for every month, so nothing is silently missing.
    """
    chosen = as_period(period, annex)
    quality = annex.quality
    if chosen is None:
        return MonthlyResult(
            None,
            (),
            _with_measures(quality),
            timescales,
            problem="The period the workbook covers could not be worked out: lists 1, 3 and 5 "
            "have no dates that could be read. Give the period's first and last days.",
        )
    quality = quality.with_issues(outside_period_issues(annex, chosen))
    months = chosen.months
    if not months:
        return MonthlyResult(
            chosen,
            (),
            _with_measures(quality),
            timescales,
            problem=f"The workbook covers {chosen.describe()}, which holds no whole calendar "
            "month, so there is no month to compute.",
        )
    ctx = Context(annex, timescales, chosen)
    snapshot = chosen.snapshot_month
    figures: list[Figure] = []
    stopped: dict[str, tuple[int, str]] = {}
    for measure in MEASURES:
        reason, blamed = _missing(measure, annex)
        notes: tuple[str, ...] = ()
        if blamed is not None:
            stopped[measure.code] = (blamed, "missing")
        else:
            reason, blamed, notes = _unreadable(measure, annex)
            if blamed is not None:
                stopped[measure.code] = (blamed, "unreadable")
        for month in months:
            if reason:
                figures.append(Figure(measure.code, month, Status.NOT_COMPUTABLE, reason=reason))
                continue
            if measure.code in SNAPSHOT_ONLY and month != snapshot:
                figures.append(
                    Figure(
                        measure.code,
                        month,
                        Status.NOT_COMPUTABLE,
                        reason=_snapshot_reason(chosen, snapshot),
                    )
                )
                continue
            result = COUNTERS[measure.code](ctx, month)
            if isinstance(result, _Unknown):
                figures.append(
                    Figure(measure.code, month, Status.NOT_COMPUTABLE, reason=result.reason)
                )
            else:
                figures.append(_figure(measure, month, result, notes))
    return MonthlyResult(chosen, tuple(figures), _with_measures(quality, stopped), timescales)


def _snapshot_reason(period: Period, snapshot: dt.date | None) -> str:
    if snapshot is None:
        return (
            f"The lists record this as it stood on {long_date(period.end)}, the day the workbook "
            "ends, which is not the last day of a month; so it belongs to no whole month."
        )
    return (
        f"The lists record this only as it stood on {long_date(period.end)}, so it is given for "
        f"{snapshot:%B %Y} alone."
    )
