import datetime as dt

import numpy as np

from indicators.annex_a.working_days import (
    add_months,
    bank_holidays,
    first_working_day,
    is_working_day,
    last_working_day,
    working_days_between,
)

D = dt.date


def test_bank_holidays_come_from_the_library_including_one_off_days():
    assert D(2023, 5, 8) in bank_holidays(2023)  # the coronation
    assert D(2022, 9, 19) in bank_holidays(2022)  # the state funeral
    assert not is_working_day(D(2025, 4, 18))  # Good Friday
    assert not is_working_day(D(2025, 4, 21))  # Easter Monday
    assert not is_working_day(D(2025, 4, 19))  # a Saturday
    assert is_working_day(D(2025, 4, 22))


def test_scottish_bank_holidays_are_not_english_ones():
    assert is_working_day(D(2025, 1, 2))  # a bank holiday in Scotland only
    assert is_working_day(D(2025, 11, 28))


def test_the_day_after_the_start_is_day_one():
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 4)) == 1
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 10)) == 5  # Monday to Monday


def test_easter_takes_two_working_days_out():
    # Thursday before Easter to the Tuesday after: only the Tuesday is a working day.
    assert working_days_between(D(2025, 4, 17), D(2025, 4, 22)) == 1


def test_counting_is_vectorised_and_missing_dates_are_marked():
    starts = np.array(["2024-12-20", "NaT", "2024-12-23"], dtype="datetime64[D]")
    ends = np.array(["2025-01-02", "2025-01-02", "NaT"], dtype="datetime64[D]")
    # 23, 24, 27, 30, 31 December and 2 January: 25, 26 December and 1 January are holidays.
    assert working_days_between(starts, ends).tolist() == [6, -1, -1]


def test_first_and_last_working_days_of_a_month():
    assert first_working_day(D(2024, 1, 1)) == D(2024, 1, 2)
    assert last_working_day(D(2024, 3, 1)) == D(2024, 3, 28)  # Good Friday was 29 March
    assert last_working_day(D(2025, 8, 1)) == D(2025, 8, 29)  # 30-31 August: a weekend


def test_adding_months_keeps_the_day_or_takes_the_last_one():
    moved = add_months([D(2024, 8, 31), D(2023, 8, 31), D(2024, 3, 15), None], 6)
    assert moved.astype(str).tolist() == ["2025-02-28", "2024-02-29", "2024-09-15", "NaT"]
    assert add_months([D(2025, 3, 31)], -12).astype(str).tolist() == ["2024-03-31"]
