"""The dates people may give, in one place.

Every date a person can type or put in an address (a milestone's due date, a return's month, the
audit log's filter) is checked against one of these ranges, and the message names the range.
Pages also draw only what is inside them, so a date stored some other way (an old row, a direct
database edit) can never make a page fail.

Nothing the service shows is older than 2000: returns, plans and the audit log all start later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

FIRST_DATE = datetime.date(2000, 1, 1)
# A plan looks ahead this far at most; further is a typing mistake, not a plan.
PLAN_YEARS_AHEAD = 10


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def month_words(month: datetime.date) -> str:
    return f"{month:%B} {month.year}"


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 28 February for 29 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    """The first and last date allowed, both included."""

    first: datetime.date
    last: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.first <= day <= self.last

    @property
    def words(self) -> str:
        return f"between {long_date(self.first)} and {long_date(self.last)}"

    @property
    def month_words(self) -> str:
        return f"from {month_words(self.first)} to {month_words(self.last)}"

    def check(self, day: datetime.date, *, what: str) -> None:
        """Raise a ValidationError saying ``what`` must be in the range (GOV.UK wording)."""
        if day not in self:
            raise ValidationError(f"{what} must be {self.words}", code="out_of_range")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def plan_dates(today: datetime.date | None = None) -> DateRange:
    """Milestone due dates: from 2000 (an earlier stage of a plan) to ten years ahead."""
    day = _today(today)
    return DateRange(FIRST_DATE, years_later(day, PLAN_YEARS_AHEAD))


def past_dates(today: datetime.date | None = None) -> DateRange:
    """Dates of things that have happened (the audit log's filter): from 2000 to today."""
    return DateRange(FIRST_DATE, _today(today))


def return_months(latest: datetime.date) -> DateRange:
    """Months that can have a monthly return: from January 2000 to ``latest`` (the last month
    that has ended, ``indicators.returns.selectors.latest_month``)."""
    return DateRange(FIRST_DATE, latest)
