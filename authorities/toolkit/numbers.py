"""How numbers are written, without Django: the chart builders write their text alternatives with
it, and ``reports.formatting`` writes the pages' figures (symbols in words) on top of it.

Units and period kinds are the plain strings the catalogue stores: the values of
``indicators.models.Unit`` and ``PeriodKind`` (tests/reports/charts/test_numbers.py checks they
agree), so that chart builders need not import the models.
"""

from __future__ import annotations

import math

PERCENT = "percent"
RATE_PER_10000 = "rate_per_10000"
COUNT = "count"
MONTH = "month"

# How a difference between two figures of a unit is read: percentages change in percentage points.
CHANGE_WORDS = {PERCENT: "percentage points", RATE_PER_10000: "per 10,000"}


def format_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def format_figure(value: float, unit: str, decimals: int) -> str:
    """A figure as a person reads it: '28.7%', '1,234' or '67 per 10,000' (at the
    indicator's decimals: DfE publishes rates per 10,000 as whole numbers)."""
    number = format_number(value, decimals)
    if unit == PERCENT:
        return f"{number}%"
    if unit == RATE_PER_10000:
        return f"{number} per 10,000"
    return number


def format_change(change: float, unit: str, decimals: int) -> str:
    """A change between two figures, without its sign: '16.8 percentage points', '12'."""
    return f"{format_number(abs(change), decimals)} {CHANGE_WORDS.get(unit, '')}".rstrip()


def is_missing(value: object) -> bool:
    """No figure: None, NaN (pandas' empty cell) or blank."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def raw_figure(value: object) -> str:
    """A figure as CSV writes it: the raw number (to 12 significant digits), a symbol as the
    publisher wrote it, or blank."""
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    return format(float(value), ".12g")  # type: ignore[arg-type]


def moved(start: float, end: float) -> str:
    """How a figure moved, in a word, for the charts' text alternatives."""
    if end > start:
        return "rose"
    if end < start:
        return "fell"
    return "stayed"
