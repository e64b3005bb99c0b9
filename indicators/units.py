"""What a figure is measured in, the kind of period it covers and the statistical symbols that
stand in for it: free of Django, so that the chart builders can use them
(``indicators.models`` gives them to its fields)."""

from __future__ import annotations

from authorities.toolkit.choices import Choices


class Unit(Choices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000 children"
    NUMBER = "number", "Number"
    UNKNOWN = "unknown", "Unknown"


class PeriodKind(Choices):
    MONTH = "month", "Month"
    REPORTING_YEAR = "reporting_year", "Reporting year"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    ACADEMIC_YEAR = "academic_year", "Academic year"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    QUARTER = "quarter", "Quarter"
    DAY = "day", "Day"


class Symbol(Choices):
    NONE = "", "Value"
    SUPPRESSED = "c", "Suppressed to protect confidentiality"
    NOT_AVAILABLE = "x", "Not available"
    NOT_APPLICABLE = "z", "Not applicable"
    LOW_RELIABILITY = "u", "Low reliability"
    LOW = "low", "Rounds to zero, but is not zero"
    LOW_K = "k", "Rounds to zero, but is not zero"
