"""Comparator statistics, defined once (design brief, section 5): neighbour averages, quartile
bands, national ranks and red, amber or green against a milestone. Pure functions, no ORM."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean, median

from indicators.models import Polarity

# How a figure takes part in ranks and bands, as in DfE's Local Authority Interactive Tool
# (LAIT), said once here and on the league page.
RANKING_RULE = (
    "Ranks and quartile bands follow DfE's Local Authority Interactive Tool: 1 is the best "
    "figure; authorities with the same figure share a rank. A figure published as “low” "
    "(it rounds to zero) counts as zero and is ranked. A percentage whose base is suppressed is "
    "shown as published but not ranked. Authorities that send a joint return (Kingston upon "
    "Thames and Richmond upon Thames; North and West Northamptonshire) are each ranked with the "
    "joint figure."
)
LOW_SYMBOLS = frozenset({"low", "k"})

MEAN = "mean"
MEDIAN = "median"


def neighbour_average(values: Sequence[float], method: str) -> float | None:
    """Mean (as LAIT) or median (as the outcomes dashboard) of the neighbours that have a figure."""
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    if not numbers:
        return None
    return median(numbers) if method == MEDIAN else mean(numbers)


def ranked_value(value: float | None, symbol: str = "", base_symbol: str = "") -> float | None:
    """The number a figure is ranked and banded by (LAIT's rule), or None if it takes no part:
    "low" (or "k") is zero; a rate whose base was withheld (``base_symbol``) is not ranked."""
    if base_symbol and base_symbol not in LOW_SYMBOLS:
        return None
    if value is None:
        return 0.0 if symbol in LOW_SYMBOLS else None
    return None if math.isnan(value) else value


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on sorted values."""
    position = (len(sorted_values) - 1) * fraction
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return sorted_values[lower]
    weight = position - lower
    return sorted_values[lower] * (1 - weight) + sorted_values[upper] * weight


@dataclass(frozen=True)
class Quartiles:
    q1: float
    q2: float
    q3: float


def quartiles(values: Sequence[float]) -> Quartiles | None:
    numbers = sorted(v for v in values if v is not None and not math.isnan(v))
    if len(numbers) < 4:
        return None
    return Quartiles(
        _percentile(numbers, 0.25), _percentile(numbers, 0.5), _percentile(numbers, 0.75)
    )


def band(value: float, cut: Quartiles, polarity: str) -> str:
    """Quartile band: A is the best quarter given the polarity, D the worst; none without one."""
    if polarity == Polarity.HIGHER_IS_BETTER:
        if value >= cut.q3:
            return "A"
        if value >= cut.q2:
            return "B"
        return "C" if value >= cut.q1 else "D"
    if polarity == Polarity.LOWER_IS_BETTER:
        if value <= cut.q1:
            return "A"
        if value <= cut.q2:
            return "B"
        return "C" if value <= cut.q3 else "D"
    return ""


def rank(value: float, values: Sequence[float], polarity: str) -> int | None:
    """National rank: 1 is best; tied authorities share the lower (better) rank number."""
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    if polarity == Polarity.HIGHER_IS_BETTER:
        return 1 + sum(1 for v in numbers if v > value)
    if polarity == Polarity.LOWER_IS_BETTER:
        return 1 + sum(1 for v in numbers if v < value)
    return None


@dataclass(frozen=True)
class Standing:
    band: str
    rank: int | None
    of: int


def standing(value: float, values: Sequence[float], polarity: str) -> Standing | None:
    """Band and rank of one authority's value among all authorities' values for the period."""
    if polarity == Polarity.NEITHER:
        return None
    cut = quartiles(values)
    if cut is None:
        return None
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    return Standing(band(value, cut, polarity), rank(value, numbers, polarity), len(numbers))


RED, AMBER, GREEN = "red", "amber", "green"


def rag(value: float, target: float, tolerance: float, polarity: str) -> str:
    """Red, amber or green against a milestone: met is green, within tolerance amber."""
    if polarity == Polarity.HIGHER_IS_BETTER:
        shortfall = target - value
    elif polarity == Polarity.LOWER_IS_BETTER:
        shortfall = value - target
    else:
        shortfall = abs(value - target)
    if shortfall <= 0:
        return GREEN
    return AMBER if shortfall <= tolerance else RED
