"""How figures are written: one place, used by pages, tables, alt text and CSV."""

from __future__ import annotations

from indicators.models import Symbol, Unit

SYMBOL_WORDS = {choice.value: str(choice.label) for choice in Symbol if choice.value}


def lower_first(name: str) -> str:
    """A sentence-case name inside a sentence: 'Agency social workers (FTE %)' -> 'agency
    social workers (FTE %)'. Acronyms keep their capitals, so plain lower() is never used."""
    first, _, rest = name.partition(" ")
    if first.isupper():
        return name
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")


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
