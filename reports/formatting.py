"""How figures are written: one place, used by pages, tables, alt text and CSV. Numbers are written
by ``authorities.toolkit.numbers`` (Django-free, for the chart builders); this adds symbols in
words."""

from __future__ import annotations

from authorities.toolkit.numbers import format_change, format_figure, format_number
from authorities.toolkit.text import lower_first
from indicators.units import Symbol

__all__ = ["SYMBOL_WORDS", "format_change", "format_number", "format_value", "lower_first"]

SYMBOL_WORDS = {choice.value: str(choice.label) for choice in Symbol if choice.value}


def format_value(value: float | None, unit: str, decimals: int, symbol: str = "") -> str:
    """A figure as a person reads it: '28.7%', '1,234', '67 per 10,000', or the symbol's words."""
    if value is None:
        return SYMBOL_WORDS.get(symbol, "No figure")
    return format_figure(value, unit, decimals)
