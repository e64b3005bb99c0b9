"""The period an Annex A workbook covers, and the calendar months it fully covers.

Lists 1, 3 and 5 (contacts, referrals, section 47 enquiries) hold only events inside the
workbook's period, so their dates mark it out. A stray date (a typing slip a decade out) must not
stretch the period into years of empty months, so the period is the busiest run of months with
activity in those lists (more than two quiet months in a row break a run); dates outside it are
reported. A period that starts on or before its month's first working day covers the whole
month, and one that ends on or after the month's last working day covers it to the end: a
council with no contacts over a bank holiday weekend still covers the month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from indicators.annex_a.quality import Issue, IssueKind, first_rows, plural, rows_phrase
from indicators.annex_a.reader import AnnexA
from indicators.annex_a.working_days import first_working_day, last_working_day, month_end

# Months in a row without a contact, referral or enquiry that still leave the period unbroken.
MAX_QUIET_MONTHS = 2

# (list, column) pairs whose rows are all events inside the workbook's period.
PERIOD_EVENTS = ((1, "contact_date"), (3, "referral_date"), (5, "strategy_date"))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    inferred: bool = False  # worked out from the lists rather than given by the uploader

    @property
    def months(self) -> tuple[dt.date, ...]:
        """First days of the calendar months wholly inside the period, oldest first."""
        first = self.start if self.start.day == 1 else month_end(self.start) + dt.timedelta(1)
        months = []
        while month_end(first) <= self.end:
            months.append(first)
            first = month_end(first) + dt.timedelta(days=1)
        return tuple(months)

    @property
    def snapshot_month(self) -> dt.date | None:
        """The month whose last day is the day the lists were produced, when there is one:
        figures the lists give only as at that day (allocation, care leavers) belong to it."""
        months = self.months
        if months and month_end(months[-1]) == self.end:
            return months[-1]
        return None

    def describe(self) -> str:
        how = "worked out from the lists" if self.inferred else "as given"
        return f"{long_date(self.start)} to {long_date(self.end)} ({how})"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _rounded(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    if start <= first_working_day(start):
        start = start.replace(day=1)
    if end >= last_working_day(end):
        end = month_end(end)
    return start, end


def infer_period(annex: AnnexA) -> Period | None:
    """The period from the event lists' dates, or None when no event list has a usable date."""
    dates = []
    for number, key in PERIOD_EVENTS:
        data = annex.get(number)
        if data is None or not data.has(key):
            continue
        values = data.dates(key)
        dates.append(values[~np.isnat(values) & ~data.bad[key]])
    if not dates or not sum(len(d) for d in dates):
        return None
    every = np.concatenate(dates)
    months, counts = np.unique(every.astype("datetime64[M]"), return_counts=True)
    # Split the active months into runs, broken where more than two months in a row have no
    # activity, and keep the busiest run (the latest on a tie).
    gaps = np.flatnonzero(np.diff(months.astype(np.int64)) > MAX_QUIET_MONTHS + 1)
    bounds = np.split(np.arange(len(months)), gaps + 1)
    best = max(bounds, key=lambda run: (counts[run].sum(), run[-1]))
    first, last = months[best[0]], months[best[-1]]
    inside = every[
        (every.astype("datetime64[M]") >= first) & (every.astype("datetime64[M]") <= last)
    ]
    start, end = _rounded(inside.min().astype(dt.date), inside.max().astype(dt.date))
    return Period(start, end, inferred=True)


def outside_period_issues(annex: AnnexA, period: Period) -> list[Issue]:
    """Event dates outside the period: not counted in any month, and worth a look."""
    issues = []
    low, high = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    for number, key in PERIOD_EVENTS:
        data = annex.get(number)
        if data is None or not data.has(key):
            continue
        values = data.dates(key)
        outside = ~np.isnat(values) & ~data.bad[key] & ((values < low) | (values > high))
        if not outside.any():
            continue
        count = int(outside.sum())
        shown = first_rows(data.rows[outside])
        header = data.spec.column(key).header
        issues.append(
            Issue(
                IssueKind.OUTSIDE_PERIOD,
                number,
                header,
                count,
                shown,
                f"{data.spec.title}, column “{header}”: {plural(count, 'date')} "
                f"{'falls' if count == 1 else 'fall'} outside the period the workbook covers "
                f"({period.describe()}) and {'is' if count == 1 else 'are'} not counted in any "
                f"month ({rows_phrase(count, shown)}).",
            )
        )
    return issues
