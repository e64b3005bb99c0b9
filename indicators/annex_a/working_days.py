"""Working days in England: Monday to Friday, less England and Wales bank holidays.

Bank holidays come from the maintained ``holidays`` library (one-off days such as a coronation
or a state funeral included), never from a hand-typed list. Counting is vectorised with numpy's
business-day functions so a hundred thousand date pairs take milliseconds.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

import holidays
import numpy as np
import numpy.typing as npt

DateArray = npt.NDArray[np.datetime64]

# England and Wales share their bank holidays; the library calls the subdivision ENG.
_COUNTRY, _SUBDIVISION = "GB", "ENG"


@lru_cache(maxsize=32)
def _calendar(first_year: int, last_year: int) -> np.busdaycalendar:
    days = holidays.country_holidays(
        _COUNTRY, subdiv=_SUBDIVISION, years=range(first_year, last_year + 1)
    )
    return np.busdaycalendar(
        weekmask="1111100", holidays=np.array(sorted(days), dtype="datetime64[D]")
    )


def calendar_for(*arrays: DateArray) -> np.busdaycalendar:
    """A calendar holding the bank holidays of every year the arrays touch (one year either
    side, so offsets that run past a year's end stay right)."""
    years = [a[~np.isnat(a)].astype("datetime64[Y]").astype(int) + 1970 for a in arrays if a.size]
    known = np.concatenate(years) if years else np.array([], dtype=int)
    if known.size == 0:
        return _calendar(2000, 2001)
    return _calendar(int(known.min()) - 1, int(known.max()) + 1)


def bank_holidays(year: int) -> list[dt.date]:
    """England and Wales bank holidays in a year (weekend dates the library lists included)."""
    return sorted(holidays.country_holidays(_COUNTRY, subdiv=_SUBDIVISION, years=year))


def as_days(values: object) -> DateArray:
    """Dates (a date, a list of dates or a datetime64 array) as a ``datetime64[D]`` array."""
    return np.asarray(values, dtype="datetime64[D]")


def working_days_between(start: object, end: object) -> npt.NDArray[np.int64]:
    """Working days after ``start`` up to and including ``end``: the day after the start is
    day 1, so a Monday start authorised the next Monday took 5 working days. Pairs with a
    missing date give -1; callers mask them out first."""
    a, b = np.broadcast_arrays(as_days(start), as_days(end))
    missing = np.isnat(a) | np.isnat(b)
    safe_a = np.where(missing, np.datetime64("2000-01-03"), a)
    safe_b = np.where(missing, np.datetime64("2000-01-03"), b)
    calendar = calendar_for(safe_a, safe_b)
    one = np.timedelta64(1, "D")
    counted = np.busday_count(safe_a + one, safe_b + one, busdaycal=calendar)
    return np.where(missing, -1, counted).astype(np.int64)


def is_working_day(day: dt.date) -> bool:
    value = as_days(day)
    return bool(np.is_busday(value, busdaycal=calendar_for(value.reshape(1))))


def _rolled(day: dt.date, roll: Literal["forward", "backward"]) -> dt.date:
    value = as_days(day)
    moved = np.busday_offset(value, 0, roll=roll, busdaycal=calendar_for(value.reshape(1)))
    return dt.date.fromisoformat(str(moved))


def first_working_day(month: dt.date) -> dt.date:
    return _rolled(month.replace(day=1), "forward")


def last_working_day(month: dt.date) -> dt.date:
    return _rolled(month_end(month), "backward")


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def add_months(days: object, months: int) -> DateArray:
    """Each date moved by whole calendar months, the day kept where the month has it and
    otherwise the month's last day (31 August + 6 months = 28 or 29 February). NaT stays NaT."""
    values = as_days(days)
    missing = np.isnat(values)
    safe = np.where(missing, np.datetime64("2000-01-01"), values)
    month_index = safe.astype("datetime64[M]")
    day_offset = (safe - month_index.astype("datetime64[D]")).astype(np.int64)
    target = month_index + np.timedelta64(months, "M")
    length = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    moved = target.astype("datetime64[D]") + np.minimum(day_offset, length - 1).astype(
        "timedelta64[D]"
    )
    return np.where(missing, np.datetime64("NaT", "D"), moved).astype("datetime64[D]")
