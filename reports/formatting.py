"""How figures are written: one place, used by pages, tables, alt text and CSV."""

from __future__ import annotations

from authorities.toolkit.text import lower_first
from indicators.units import Symbol, Unit

__all__ = ["SYMBOL_WORDS", "format_change", "format_number", "format_value", "lower_first"]

SYMBOL_WORDS = {choice.value: str(choice.label) for choice in Symbol if choice.value}


def format_number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit: str, decimals: int, symbol: str = "") -> str:
    """A figure as a person reads it: '28.7%', '1,234', '67.0 per 10,000', or the symbol's words."""
    if value is None:
        return SYMBOL_WORDS.get(symbol, "No figure")
    number = format_number(value, decimals)
    if unit == Unit.PERCENT:
        return f"{number}%"
    if unit == Unit.RATE_PER_10000:
        return f"{number} per 10,000"
    return number


def format_change(change: float, unit: str, decimals: int) -> str:
    """A change between two figures: percentages change in percentage points."""
    magnitude = format_number(abs(change), decimals)
    if unit == Unit.PERCENT:
        return f"{magnitude} percentage points"
    if unit == Unit.RATE_PER_10000:
        return f"{magnitude} per 10,000"
    return magnitude
