"""Month arithmetic, defined once (authorities.toolkit.months)."""

import datetime

from authorities.toolkit.months import (
    add_months,
    last_complete_month,
    month_first,
    month_index,
    month_last,
)


def test_months_move_across_year_ends_both_ways():
    assert add_months(datetime.date(2025, 11, 1), 3) == datetime.date(2026, 2, 1)
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert add_months(datetime.date(2026, 3, 1), -12) == datetime.date(2025, 3, 1)
    # A day inside a month counts as its month.
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 1)


def test_first_and_last_days_of_a_month_by_index():
    february = month_index(datetime.date(2024, 2, 14))
    assert month_first(february) == datetime.date(2024, 2, 1)
    assert month_last(february) == datetime.date(2024, 2, 29)  # a leap year
    assert month_last(february + 12) == datetime.date(2025, 2, 28)
    assert month_last(month_index(datetime.date(2025, 12, 5))) == datetime.date(2025, 12, 31)


def test_the_last_complete_month_is_the_one_before_today():
    assert last_complete_month(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 1)
    assert last_complete_month(datetime.date(2026, 10, 15)) == datetime.date(2026, 9, 1)
