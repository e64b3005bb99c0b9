"""What every Annex A measure shares: the rules version and timescales, the measure, figure and
result types, and the counting helpers the groups of measures build on. Nothing about a single
child leaves this package: only counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.annex_a.period import Period
from indicators.annex_a.quality import QualityReport
from indicators.annex_a.reader import AnnexA, ListData
from indicators.annex_a.working_days import month_end, working_days_between

RULES_VERSION = "2026.1"

# List 3's "Number of Referrals in Last 12 Months" counts the referral on the row itself, so a
# re-referral shows 2 or more.
REFERRAL_COUNT_INCLUDES_CURRENT = True
# A measure whose rows are unreadable beyond this share is not computed at all: a figure missing
# one row in twenty would mislead.
MAX_UNREADABLE_SHARE = 0.05
ASSESSMENT_WORKING_DAYS = 45
ICPC_WORKING_DAYS = 15


@dataclass(frozen=True)
class Timescales:
    """Timescales each authority sets locally, with defaults from statutory guidance and common
    practice. Passed in by the caller (an authority's settings)."""

    # Working Together sets no national frequency for child protection visits; visiting at least
    # every 10 working days (about fortnightly) is the most common local standard.
    cp_visit_working_days: int = 10
    # Care Planning Regulations 2010, reg. 28: a visit within a week of a placement starting,
    # then at intervals of no more than six weeks in the first year.
    cla_first_visit_days: int = 7
    cla_visit_days: int = 42
    # Care Planning Regulations 2010, reg. 33: first review within 20 working days, the second
    # within three months of the first, then at intervals of no more than six months.
    cla_first_review_working_days: int = 20
    cla_second_review_months: int = 3
    cla_review_months: int = 6

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 366:
                raise ValueError(f"Timescale {name} must be a whole number from 1 to 366.")

    def described(self) -> tuple[tuple[str, str], ...]:
        """Label and value of each setting, for the page that explains the rules."""
        return (
            (
                "Child protection visits",
                f"at least every {self.cp_visit_working_days} working days",
            ),
            (
                "Visits to children looked after",
                f"within {self.cla_first_visit_days} days of starting to be looked after, then "
                f"at least every {self.cla_visit_days} days",
            ),
            (
                "Reviews of children looked after",
                f"first within {self.cla_first_review_working_days} working days, second within "
                f"{self.cla_second_review_months} months, then every {self.cla_review_months} "
                "months",
            ),
        )


DEFAULT_TIMESCALES = Timescales()


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    NUMBER = "number"  # a ratio that is not a percentage


class Status(StrEnum):
    COMPUTED = "computed"
    NO_CASES = "no_cases"  # a share with nothing to share out: no assessments that month
    NOT_COMPUTABLE = "not_computable"


@dataclass(frozen=True)
class Need:
    list_number: int
    columns: tuple[str, ...]
    optional: bool = False  # used when present, never a reason to give up


@dataclass(frozen=True)
class Measure:
    code: str  # the indicator code in indicators/catalogue.py, where one exists
    name: str
    unit: Unit
    needs: tuple[Need, ...]
    description: str  # plain English; {placeholders} are filled from the Timescales
    numerator_label: str = ""
    denominator_label: str = ""
    as_at: bool = False  # recorded only as at the day the workbook was produced
    in_catalogue: bool = True

    def describe(self, timescales: Timescales = DEFAULT_TIMESCALES) -> str:
        return self.description.format(
            assessment_days=ASSESSMENT_WORKING_DAYS,
            icpc_days=ICPC_WORKING_DAYS,
            max_unreadable=f"{MAX_UNREADABLE_SHARE:.0%}",
            **timescales.__dict__,
        )


@dataclass(frozen=True)
class Figure:
    """One measure for one month: a count, or a share with its numerator and denominator, or
    the plain reason it could not be computed."""

    measure: str
    month: dt.date  # the first day of the month
    status: Status
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    rows_used: int = 0
    reason: str = ""
    notes: tuple[str, ...] = ()
    rules_version: str = RULES_VERSION

    def as_dict(self) -> dict[str, object]:
        return {
            "measure": self.measure,
            "month": self.month.isoformat(),
            "status": str(self.status),
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rows_used": self.rows_used,
            "reason": self.reason,
            "notes": list(self.notes),
            "rules_version": self.rules_version,
        }


@dataclass(frozen=True)
class MonthlyResult:
    period: Period | None
    figures: tuple[Figure, ...]
    quality: QualityReport
    timescales: Timescales
    rules_version: str = RULES_VERSION
    problem: str = ""  # set when no month could be computed at all

    @property
    def months(self) -> tuple[dt.date, ...]:
        return self.period.months if self.period else ()

    def figure(self, code: str, month: dt.date) -> Figure:
        return next(f for f in self.figures if f.measure == code and f.month == month)

    def for_month(self, month: dt.date) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.month == month)

    def as_dict(self) -> dict[str, object]:
        return {
            "rules_version": self.rules_version,
            "period": None
            if self.period is None
            else {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "inferred": self.period.inferred,
            },
            "problem": self.problem,
            "figures": [f.as_dict() for f in self.figures],
            "quality": self.quality.as_dict(),
        }


# --- counting ----------------------------------------------------------------------------------


@dataclass
class _Tally:
    numerator: int
    denominator: int | None = None
    rows: int = 0
    notes: tuple[str, ...] = ()


@dataclass
class _Unknown:
    reason: str


@dataclass
class Context:
    annex: AnnexA
    timescales: Timescales
    period: Period
    cache: dict[str, object] = field(default_factory=dict)

    def data(self, number: int) -> ListData:
        found = self.annex.get(number)
        assert found is not None  # availability is checked before any counting
        return found

    def usable(self, number: int, keys: tuple[str, ...]) -> npt.NDArray[np.bool_]:
        data = self.data(number)
        ok = np.ones(len(data), dtype=bool)
        for key in keys:
            ok &= ~data.bad[key]
        return ok


def _bounds(month: dt.date) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(month, "D"), np.datetime64(month_end(month), "D")


def _in(dates: npt.NDArray[np.datetime64], month: dt.date) -> npt.NDArray[np.bool_]:
    low, high = _bounds(month)
    return ~np.isnat(dates) & (dates >= low) & (dates <= high)


def _open_at(
    ctx: Context, number: int, start: str, end: str, day: np.datetime64
) -> npt.NDArray[np.bool_]:
    data = ctx.data(number)
    s, e = data.dates(start), data.dates(end)
    return ctx.usable(number, (start, end)) & ~np.isnat(s) & (s <= day) & (np.isnat(e) | (e > day))


def _children(ids: np.ndarray) -> int:
    return len(pd.unique(ids)) if len(ids) else 0


def previous_distinct(
    children: np.ndarray, dates: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.datetime64]:
    """For each row, the latest date strictly before its own among the same child's rows
    (NaT when there is none). Used for 'referred before' and 'a plan before'."""
    n = len(dates)
    result = np.full(n, np.datetime64("NaT", "D"), dtype="datetime64[D]")
    if n == 0:
        return result
    codes, _ = pd.factorize(children)
    order = np.lexsort((dates, codes))
    c, d = codes[order], dates[order]
    index = np.arange(n)
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    run_start = np.maximum.accumulate(np.where(new_run, index, 0))
    before = run_start - 1
    valid = before >= 0
    valid[valid] = c[before[valid]] == c[valid]
    previous = np.full(n, np.datetime64("NaT", "D"), dtype="datetime64[D]")
    previous[valid] = d[before[valid]]
    result[order] = previous
    return result


def _children_open(ctx: Context, number: int, start: str, end: str, month: dt.date) -> _Tally:
    data = ctx.data(number)
    open_rows = _open_at(ctx, number, start, end, _bounds(month)[1])
    return _Tally(_children(data.columns["child_id"][open_rows]), rows=int(open_rows.sum()))


def per_child(
    children: np.ndarray, in_time: npt.NDArray[np.bool_], unknown: npt.NDArray[np.bool_]
) -> tuple[int, int, int]:
    """(children in time, children not known, children) when a child may have several rows:
    in time if any row is; otherwise not known if any row is."""
    if not len(children):
        return 0, 0, 0
    codes, uniques = pd.factorize(children)
    any_in_time = np.bincount(codes, weights=in_time, minlength=len(uniques)) > 0
    any_unknown = np.bincount(codes, weights=unknown, minlength=len(uniques)) > 0
    return int(any_in_time.sum()), int((any_unknown & ~any_in_time).sum()), len(uniques)


def _latest_unknown(what: str, unknown: int, total: int, who: str, month: dt.date) -> _Unknown:
    return _Unknown(
        f"The lists give only each child's latest {what}. For {unknown:,} of the {total:,} "
        f"{who} at the end of {month:%B %Y} it came after the month ended, so whether they were "
        f"seen to in time that month is not known. The month the workbook ends is counted."
    )


def visit_states(
    ctx: Context, number: int, keys: tuple[str, str, str], month: dt.date
) -> tuple[np.ndarray, npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For the rows open at the month's end: child ids, in time, not known; and which of the
    list's rows those are. Shared with the team figures."""
    start, end, visit = keys
    data = ctx.data(number)
    day = _bounds(month)[1]
    open_rows = _open_at(ctx, number, start, end, day) & ctx.usable(number, (visit,))
    s, last = data.dates(start)[open_rows], data.dates(visit)[open_rows]
    t = ctx.timescales
    visited = ~np.isnat(last) & (last <= day)
    later = ~np.isnat(last) & (last > day)
    if number == 7:
        days_since_visit = working_days_between(last, day)
        limit = t.cp_visit_working_days
        not_yet_due = working_days_between(s, day) <= t.cp_visit_working_days
    else:
        days_since_visit = (day - last).astype(np.int64)
        limit = t.cla_visit_days
        not_yet_due = (day - s).astype(np.int64) <= t.cla_first_visit_days
    in_time = (visited & (days_since_visit <= limit)) | not_yet_due
    unknown = later & ~in_time
    return data.columns["child_id"][open_rows], in_time, unknown, open_rows


def _visits(number: int, keys: tuple[str, str, str], who: str) -> Callable[..., _Tally | _Unknown]:
    def count(ctx: Context, month: dt.date) -> _Tally | _Unknown:
        children, in_time, unknown, rows = visit_states(ctx, number, keys, month)
        yes, not_known, total = per_child(children, in_time, unknown)
        if not_known:
            return _latest_unknown("visit", not_known, total, who, month)
        return _Tally(yes, total, int(rows.sum()))

    return count
