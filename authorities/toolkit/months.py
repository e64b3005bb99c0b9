"""Month arithmetic, defined once. A month is held as the date of its first day, or as an index
(``year * 12 + month - 1``) where a sequence of months is computed."""

from __future__ import annotations

import datetime


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_first(index: int) -> datetime.date:
    """The first day of the month with this index."""
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> datetime.date:
    """The last day of the month with this index."""
    return month_first(index + 1) - datetime.timedelta(days=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months after (or before) ``month``'s."""
    return month_first(month_index(month) + count)


def last_complete_month(today: datetime.date) -> datetime.date:
    """The first day of the last month that ended before ``today``."""
    return month_first(month_index(today) - 1)
