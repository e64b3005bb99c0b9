"""The monthly measures computed from Annex A, and how each is counted: all in this one place.

A change to how anything is counted is a change to ``RULES_VERSION``, which every computed
figure carries, so a figure always says which rules made it. Each measure's description, written
for the page users read, sits next to its code here.

Two kinds of measure:

* **Event and state measures** (contacts, referrals, assessments, enquiries, conferences, plans,
  children looked after) come from dates in the lists, so they are given for every calendar
  month the workbook fully covers.
* **As-at measures** (allocation, care leavers' circumstances, latest visits and reviews) are
  recorded in the lists as they stood on the day the workbook was produced. Allocation and care
  leavers are given only for the month ending that day. Visits and reviews are given for any
  month in which no child's latest visit or review came after the month ended (otherwise the
  visit before it, which the lists do not hold, would decide) - in practice, the last month.

Nothing about a single child leaves this module: only counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.annex_a import values as v
from indicators.annex_a.period import Period, infer_period, long_date, outside_period_issues
from indicators.annex_a.quality import Issue, IssueKind, QualityReport, plural
from indicators.annex_a.reader import AnnexA, ListData
from indicators.annex_a.schema import LISTS, list_title
from indicators.annex_a.working_days import add_months, month_end, working_days_between

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


# --- the measures ------------------------------------------------------------------------------

L6_OPEN = Need(6, ("cin_start", "cin_closure", "worker"))
L7_OPEN = Need(7, ("cp_start", "cp_end", "worker"), optional=True)
L8_OPEN = Need(8, ("cla_start", "cla_end", "worker"), optional=True)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "contacts",
        "Contacts received",
        Unit.COUNT,
        (Need(1, ("contact_date",)),),
        "Every row of List 1 whose “Date of Contact” falls in the month. Each contact counts, so "
        "a child contacted twice counts twice.",
    ),
    Measure(
        "referrals",
        "Referrals received",
        Unit.COUNT,
        (Need(3, ("referral_date",)),),
        "Every row of List 3 whose “Date of Referral” falls in the month. A child referred "
        "twice counts twice.",
    ),
    Measure(
        "rereferrals_12m_pct",
        "Referrals within 12 months of a previous referral",
        Unit.PERCENT,
        (Need(3, ("referral_date", "referrals_12m")),),
        "Of the referrals received in the month (List 3), the share about a child referred in "
        "the 12 months before: “Number of Referrals in Last 12 Months” is 2 or more (the count "
        "includes the referral itself), or the list holds an earlier referral of the same child "
        "within 12 months. A referral for which neither can be told is left out.",
        numerator_label="Referrals within 12 months of a previous referral",
        denominator_label="Referrals received",
    ),
    Measure(
        "assessments_45wd_pct",
        "Assessments completed within 45 working days",
        Unit.PERCENT,
        (Need(4, ("assessment_start", "assessment_authorised")),),
        "Of the assessments authorised in the month (List 4, “Continuous Assessment Date of "
        "Authorisation”), the share authorised within {assessment_days} working days of their "
        "start. Working days leave out weekends and England and Wales bank holidays; the day "
        "after the start is day 1.",
        numerator_label="Assessments completed within 45 working days",
        denominator_label="Assessments completed",
    ),
    Measure(
        "s47_enquiries",
        "Section 47 enquiries started",
        Unit.COUNT,
        (Need(5, ("strategy_date",)),),
        "Every row of List 5 whose strategy discussion (the start of the section 47 enquiry) "
        "falls in the month.",
    ),
    Measure(
        "icpc_15wd_pct",
        "Initial child protection conferences within 15 working days of the strategy discussion",
        Unit.PERCENT,
        (Need(5, ("strategy_date", "icpc_date")),),
        "Of the initial child protection conferences held in the month (List 5), the share held "
        "within {icpc_days} working days of the strategy discussion that started the enquiry.",
        numerator_label="Conferences held within 15 working days",
        denominator_label="Initial conferences held",
    ),
    Measure(
        "cp_plans",
        "Children subject to a child protection plan at month end",
        Unit.COUNT,
        (Need(7, ("cp_start", "cp_end")),),
        "Children in List 7 whose plan had started by the last day of the month and had not "
        "ended by then (no end date, or an end date after that day). Each child counts once.",
    ),
    Measure(
        "cp_plans_repeat_pct",
        "Child protection plans that are a second or subsequent plan",
        Unit.PERCENT,
        (Need(7, ("cp_start", "previous_cp_plans")),),
        "Of the plans that started in the month (List 7), the share that were not the child's "
        "first: “Number of Previous Child Protection Plans” is 1 or more, or the list holds an "
        "earlier plan for the same child.",
        numerator_label="Plans started that were a second or subsequent plan",
        denominator_label="Plans started",
    ),
    Measure(
        "cp_visits_in_time_pct",
        "Children on a plan visited within timescale",
        Unit.PERCENT,
        (Need(7, ("cp_start", "cp_end", "cp_last_visit")),),
        "Of the children on a plan at the end of the month, the share whose last statutory "
        "visit was no more than {cp_visit_working_days} working days before the month's last "
        "day; a child whose plan began within those {cp_visit_working_days} working days counts "
        "as in time. List 7 gives only each child's latest visit, so a month is counted only "
        "when no child's latest visit came after it: in practice, the month the workbook ends.",
        numerator_label="Children on a plan visited within timescale",
        denominator_label="Children on a plan",
        as_at=True,
    ),
    Measure(
        "cla",
        "Children looked after at month end",
        Unit.COUNT,
        (Need(8, ("cla_start", "cla_end")),),
        "Children in List 8 who had started to be looked after by the last day of the month and "
        "had not ceased by then. Each child counts once.",
    ),
    Measure(
        "cla_visits_in_time_pct",
        "Children looked after visited within timescale",
        Unit.PERCENT,
        (Need(8, ("cla_start", "cla_end", "cla_last_visit")),),
        "Of the children looked after at the end of the month, the share whose last social "
        "work visit was no more than {cla_visit_days} days before the month's last day; a child "
        "who started to be looked after within the last {cla_first_visit_days} days counts as "
        "in time. As with plan visits, a month is counted only when no child's latest visit "
        "came after it.",
        numerator_label="Children looked after visited within timescale",
        denominator_label="Children looked after",
        as_at=True,
    ),
    Measure(
        "cla_reviews_in_time_pct",
        "Looked-after reviews held within timescale",
        Unit.PERCENT,
        (Need(8, ("cla_start", "cla_end", "cla_last_review")),),
        "Of the children looked after at the end of the month whose first review was due "
        "(looked after for more than {cla_first_review_working_days} working days), the share "
        "whose latest review was still in date: a first review (held within "
        "{cla_first_review_working_days} working days of the start) lasts "
        "{cla_second_review_months} months, any later one {cla_review_months} months. A child "
        "with no review in the current period of care counts as late. A month is counted only "
        "when no child's latest review came after it.",
        numerator_label="Reviews held within timescale",
        denominator_label="Reviews due",
        as_at=True,
    ),
    Measure(
        "care_leavers_eet_pct",
        "Care leavers in education, employment or training",
        Unit.PERCENT,
        (Need(9, ("in_touch", "activity")),),
        "Of the care leavers in List 9 the authority is in touch with (“LA in Touch” is Yes), "
        "the share in education, employment or training (activity codes beginning F or P; G "
        "codes are not). A care leaver in touch with no activity recorded counts as not known "
        "to be. List 9 describes care leavers on the day the workbook was produced, so this is "
        "given for the month ending that day.",
        numerator_label="Care leavers in education, employment or training",
        denominator_label="Care leavers in touch",
        as_at=True,
    ),
    Measure(
        "care_leavers_accom_pct",
        "Care leavers in suitable accommodation",
        Unit.PERCENT,
        (Need(9, ("in_touch", "accommodation_suitable")),),
        "Of the care leavers in List 9 the authority is in touch with, the share whose "
        "accommodation is recorded as suitable. A care leaver in touch with no judgement "
        "recorded counts as not known to be. Given for the month ending on the day the workbook "
        "was produced.",
        numerator_label="Care leavers in suitable accommodation",
        denominator_label="Care leavers in touch",
        as_at=True,
    ),
    Measure(
        "unallocated_cases",
        "Open cases without an allocated social worker at month end",
        Unit.COUNT,
        (L6_OPEN, L7_OPEN, L8_OPEN),
        "Children open at the end of the month (an open episode in List 6, a plan in List 7 or a "
        "period of care in List 8) for whom no list names an allocated worker: a blank, or words "
        "such as “Unallocated”. Allocation is recorded as on the day the workbook was produced, "
        "so this is given for the month ending that day.",
        as_at=True,
    ),
    Measure(
        "children_per_allocated_worker",
        "Children per allocated worker at month end",
        Unit.NUMBER,
        (L6_OPEN, L7_OPEN, L8_OPEN),
        "Open children with an allocated worker at the end of the month, divided by the number "
        "of different workers holding them. It counts heads, not full-time equivalents, so it "
        "sits beside the average caseload per FTE (entered by hand) rather than replacing it. "
        "Given for the month ending on the day the workbook was produced.",
        numerator_label="Open children with an allocated worker",
        denominator_label="Workers holding open cases",
        as_at=True,
        in_catalogue=False,
    ),
)

MEASURES_BY_CODE = {m.code: m for m in MEASURES}

# Monthly-return indicators the lists cannot give; they stay entered by hand.
HAND_ENTERED = (
    "contacts_decided_1wd_pct",
    "rhi_72h_pct",
    "avg_caseload",
    "agency_sw_pct",
    "sw_vacancy_pct",
    "supervision_in_time_pct",
)


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


def _count_dates(ctx: Context, number: int, key: str, month: dt.date) -> _Tally:
    data = ctx.data(number)
    hit = ctx.usable(number, (key,)) & _in(data.dates(key), month)
    count = int(hit.sum())
    return _Tally(count, rows=count)


def _contacts(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 1, "contact_date", month)


def _referrals(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 3, "referral_date", month)


def _s47(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 5, "strategy_date", month)


def _rereferrals(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    data = ctx.data(3)
    if "rereferral" not in ctx.cache:
        dates = data.dates("referral_date")
        ok = ctx.usable(3, ("referral_date",))
        previous = np.full(len(data), np.datetime64("NaT", "D"), dtype="datetime64[D]")
        previous[ok] = previous_distinct(data.columns["child_id"][ok], dates[ok])
        in_list = ~np.isnat(previous) & (previous >= add_months(dates, -12))
        count = data.columns["referrals_12m"]
        count_ok = ~np.isnan(count) & ~data.bad["referrals_12m"]
        threshold = 2 if REFERRAL_COUNT_INCLUDES_CURRENT else 1
        yes = in_list | (count_ok & (count >= threshold))
        ctx.cache["rereferral"] = (yes, yes | count_ok)
    cached = ctx.cache["rereferral"]
    assert isinstance(cached, tuple)
    yes, known = cached
    received = ctx.usable(3, ("referral_date",)) & _in(data.dates("referral_date"), month)
    counted = received & known
    left_out = int((received & ~known).sum())
    notes = (
        (
            f"{plural(left_out, 'referral')} left out: no count of earlier referrals and none "
            "in the list.",
        )
        if left_out
        else ()
    )
    return _Tally(int((counted & yes).sum()), int(counted.sum()), int(counted.sum()), notes)


def _within_working_days(
    ctx: Context, number: int, start: str, end: str, limit: int, month: dt.date
) -> _Tally:
    data = ctx.data(number)
    s, e = data.dates(start), data.dates(end)
    counted = ctx.usable(number, (start, end)) & _in(e, month) & ~np.isnat(s)
    days = working_days_between(s[counted], e[counted])
    return _Tally(int((days <= limit).sum()), int(counted.sum()), int(counted.sum()))


def _assessments(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _within_working_days(
        ctx, 4, "assessment_start", "assessment_authorised", ASSESSMENT_WORKING_DAYS, month
    )


def _icpc(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _within_working_days(ctx, 5, "strategy_date", "icpc_date", ICPC_WORKING_DAYS, month)


def _children_open(ctx: Context, number: int, start: str, end: str, month: dt.date) -> _Tally:
    data = ctx.data(number)
    open_rows = _open_at(ctx, number, start, end, _bounds(month)[1])
    return _Tally(_children(data.columns["child_id"][open_rows]), rows=int(open_rows.sum()))


def _cp_plans(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _children_open(ctx, 7, "cp_start", "cp_end", month)


def _cla(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _children_open(ctx, 8, "cla_start", "cla_end", month)


def _repeat_plans(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    data = ctx.data(7)
    starts = data.dates("cp_start")
    ok = ctx.usable(7, ("cp_start",)) & ~np.isnat(starts)
    if "earlier_plan" not in ctx.cache:
        previous = np.full(len(data), np.datetime64("NaT", "D"), dtype="datetime64[D]")
        previous[ok] = previous_distinct(data.columns["child_id"][ok], starts[ok])
        ctx.cache["earlier_plan"] = ~np.isnat(previous)
    earlier: npt.NDArray[np.bool_] = ctx.cache["earlier_plan"]  # type: ignore[assignment]
    count = data.columns["previous_cp_plans"]
    count_ok = ~np.isnan(count) & ~data.bad["previous_cp_plans"]
    yes = earlier | (count_ok & (count >= 1))
    started = ok & _in(starts, month)
    counted = started & (yes | count_ok)
    left_out = int((started & ~counted).sum())
    notes = (
        (f"{plural(left_out, 'plan')} left out: no count of previous plans and none in the list.",)
        if left_out
        else ()
    )
    return _Tally(int((counted & yes).sum()), int(counted.sum()), int(counted.sum()), notes)


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


def review_states(
    ctx: Context, month: dt.date
) -> tuple[np.ndarray, npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For children looked after at the month's end whose first review was due: child ids, in
    time, not known; and which of the list's rows those are."""
    t = ctx.timescales
    data = ctx.data(8)
    day = _bounds(month)[1]
    open_rows = _open_at(ctx, 8, "cla_start", "cla_end", day) & ctx.usable(8, ("cla_last_review",))
    s = data.dates("cla_start")
    due = open_rows.copy()
    due[open_rows] = working_days_between(s[open_rows], day) > t.cla_first_review_working_days
    s, review = s[due], data.dates("cla_last_review")[due]
    this_period = ~np.isnat(review) & (review >= s)
    held = this_period & (review <= day)
    later = this_period & (review > day)
    first = held & (working_days_between(s, review) <= t.cla_first_review_working_days)
    next_due = np.where(
        first,
        add_months(review, t.cla_second_review_months),
        add_months(review, t.cla_review_months),
    )
    in_time = held & (day <= next_due)
    return data.columns["child_id"][due], in_time, later, due


def _reviews(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    children, in_time, unknown, rows = review_states(ctx, month)
    yes, not_known, total = per_child(children, in_time, unknown)
    if not_known:
        return _latest_unknown("review", not_known, total, "children looked after", month)
    return _Tally(yes, total, int(rows.sum()))


def _care_leavers(key: str, good: str) -> Callable[..., _Tally | _Unknown]:
    def count(ctx: Context, month: dt.date) -> _Tally | _Unknown:
        data = ctx.data(9)
        usable = ctx.usable(9, ("in_touch", key))
        frame = pd.DataFrame(
            {
                "child": data.columns["child_id"][usable],
                "in_touch": data.columns["in_touch"][usable],
                "value": data.columns[key][usable],
            }
        ).drop_duplicates("child", keep="last")
        in_touch = frame[frame["in_touch"] == v.YES]
        not_recorded = int(
            in_touch["value"].isna().sum() + (in_touch["value"] == v.NOT_KNOWN).sum()
        )
        notes = (
            (
                f"{plural(not_recorded, 'care leaver')} in touch with nothing recorded, counted as "
                "not known to be.",
            )
            if not_recorded
            else ()
        )
        return _Tally(int((in_touch["value"] == good).sum()), len(in_touch), len(frame), notes)

    return count


@dataclass(frozen=True)
class OpenCases:
    """Children open at a day's end, one row each: worker (None when unallocated), team, and
    whether allocation could not be read. Internal: never leaves the engine as it is."""

    frame: pd.DataFrame  # columns: child, worker, team, unreadable


_OPEN_SOURCES = (
    (8, "cla_start", "cla_end"),
    (7, "cp_start", "cp_end"),
    (6, "cin_start", "cin_closure"),
)


def open_cases(annex: AnnexA, day: dt.date) -> OpenCases:
    """Every child open at the end of ``day`` in lists 6, 7 and 8, with the worker and team from
    the most specific list naming a worker (looked after, then plan, then in need)."""
    pieces = []
    when = np.datetime64(day, "D")
    for priority, (number, start, end) in enumerate(_OPEN_SOURCES):
        data = annex.get(number)
        if data is None or not all(data.has(k) for k in (start, end, "worker")):
            continue
        s, e = data.dates(start), data.dates(end)
        ok = ~data.bad[start] & ~data.bad[end] & ~np.isnat(s)
        rows = ok & (s <= when) & (np.isnat(e) | (e > when))
        teams = data.columns["team"][rows] if data.has("team") else np.full(rows.sum(), None)
        pieces.append(
            pd.DataFrame(
                {
                    "child": data.columns["child_id"][rows],
                    "worker": data.columns["worker"][rows],
                    "team": teams,
                    "unreadable": data.bad["worker"][rows],
                    "priority": priority,
                }
            )
        )
    if not pieces:
        return OpenCases(pd.DataFrame(columns=["child", "worker", "team", "unreadable"]))
    rows = pd.concat(pieces, ignore_index=True)
    rows["named"] = rows["worker"].notna() & ~rows["unreadable"]
    # Per child: the named worker from the most specific list, else the most specific row.
    rows = rows.sort_values(["child", "named", "priority"], ascending=[True, False, True])
    chosen = rows.drop_duplicates("child", keep="first").copy()
    any_unreadable = rows.groupby("child")["unreadable"].any()
    chosen["unreadable"] = ~chosen["named"] & chosen["child"].map(any_unreadable).astype(bool)
    chosen.loc[~chosen["named"], "worker"] = None
    return OpenCases(chosen[["child", "worker", "team", "unreadable"]].reset_index(drop=True))


def _open_cases(ctx: Context, month: dt.date) -> OpenCases:
    key = f"open:{month}"
    if key not in ctx.cache:
        ctx.cache[key] = open_cases(ctx.annex, month_end(month))
    return ctx.cache[key]  # type: ignore[return-value]


def _allocation_note(unreadable: int) -> tuple[str, ...]:
    if not unreadable:
        return ()
    return (
        f"{plural(unreadable, 'child', 'children')} left out: the worker cell could not be read.",
    )


def _unallocated(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    cases = _open_cases(ctx, month).frame
    unreadable = int(cases["unreadable"].sum())
    unallocated = int((cases["worker"].isna() & ~cases["unreadable"]).sum())
    return _Tally(unallocated, rows=len(cases) - unreadable, notes=_allocation_note(unreadable))


def worker_key(name: str) -> str:
    """Workers are the same person whatever the capitalisation or spacing of their name."""
    return v.normal(name)


def _per_worker(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    cases = _open_cases(ctx, month).frame
    allocated = cases[cases["worker"].notna()]
    workers = allocated["worker"].map(worker_key).nunique()
    unreadable = int(cases["unreadable"].sum())
    return _Tally(len(allocated), int(workers), len(allocated), _allocation_note(unreadable))


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
