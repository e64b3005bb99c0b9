"""The rules a monthly return's figures must keep. Pure: text and numbers in, problems out.

The form (as the user leaves each field, and on the full POST), the upload and the services all
use these rules, so a figure is judged the same way whichever way it arrives.

- Errors stop a figure being saved: not a number, negative, a fraction where a count is meant,
  a numerator above its denominator, a percentage outside 0-100, an implausible caseload.
- Warnings do not: a move since last month larger than the threshold. A draft with warnings can
  be saved; before it is submitted each warning needs a short explanation.
- Blank is allowed in a draft; submitting needs every indicator filled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

# A name inside a sentence: one rule for pages and forms.
from authorities.toolkit.text import lower_first as in_sentence

RATIO_ENTRY = "ratio"
PERCENT_UNIT = "percent"
COUNT_UNIT = "count"

VALUE, NUMERATOR, DENOMINATOR = "value", "numerator", "denominator"
# Two notes on a figure: the internal one is never published; the published one goes out with
# the figure once the return is approved.
INTERNAL_NOTE, PUBLISHED_NOTE = "internal_note", "published_note"
EXPLANATION = "explanation"
NOTE_FIELDS = (INTERNAL_NOTE, PUBLISHED_NOTE)
FIELDS = (VALUE, NUMERATOR, DENOMINATOR, INTERNAL_NOTE, PUBLISHED_NOTE, EXPLANATION)
NUMBER_FIELDS = (VALUE, NUMERATOR, DENOMINATOR)

LARGEST_NUMBER = Decimal(10_000_000)
# A number as people write it on a form: ASCII digits, thousands commas in their places, a decimal
# point, and a minus sign (so that "-3" is told it must be 0 or more). Not 1e3, 1_000, +5, 0x10,
# full-width or Arabic-Indic digits, or 12,5: Python reads some of those as numbers, people do not.
PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|-?\.\d+", re.ASCII)
NOTE_LENGTH = 2000
EXPLANATION_LENGTH = 1000


class IndicatorLike(Protocol):
    code: str
    name: str
    unit: str
    entry: str
    numerator_label: str
    denominator_label: str
    decimals: int


@dataclass(frozen=True)
class Thresholds:
    """When a move since last month is large enough to need an explanation, and what
    caseloads are plausible."""

    relative: float = 0.25  # a count or caseload moving by more than a quarter
    percentage_points: float = 10.0  # a percentage moving by more than 10 points
    caseload_min: float = 1.0
    caseload_max: float = 60.0


@dataclass(frozen=True)
class Problem:
    indicator: str  # the indicator's code
    field: str  # one of FIELDS: where the problem is, so a message can link to the input
    message: str


@dataclass
class Checked:
    """One indicator's entry after the rules: the numbers read, and what is wrong with them."""

    indicator: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    internal_note: str = ""
    published_note: str = ""
    explanation: str = ""
    previous: float | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None

    @property
    def needs_explanation(self) -> bool:
        return bool(self.warnings) and not self.explanation


def is_ratio(indicator: IndicatorLike) -> bool:
    return indicator.entry == RATIO_ENTRY


def is_caseload(indicator: IndicatorLike) -> bool:
    """A ratio that is not a percentage: cases per full-time-equivalent social worker."""
    return is_ratio(indicator) and indicator.unit != PERCENT_UNIT


def part_may_be_fractional(label: str) -> bool:
    """Full-time equivalents may have decimals (2.5 FTE); counts of children or cases may not."""
    return "FTE" in label


def number_text(number: float | None) -> str:
    """A number as history and downloads write it: '12', '12.5', or '' for none."""
    if number is None:
        return ""
    if float(number).is_integer():
        return str(int(number))
    text = f"{number:.10g}"
    # Never 1e-05: the form shows this text back, and only plainly written numbers are read.
    return format(Decimal(text), "f") if "e" in text else text


def shown(number: float, indicator: IndicatorLike) -> str:
    """A figure as the indicator is written: its decimals, with % for a percentage."""
    decimals = indicator.decimals if indicator.unit != COUNT_UNIT else 0
    text = f"{number:,.{decimals}f}"
    return f"{text}%" if indicator.unit == PERCENT_UNIT else text


def part_shown(number: float) -> str:
    """A numerator or denominator as a person reads it: '1,200', '110.5'."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.10g}"


def text_shown(text: str, field_name: str, indicator: IndicatorLike) -> str:
    """A field's text as history keeps it ('85.32110092', '1200'), written as the form shows it
    ('85.3%', '1,200'). Text that is not a number (a note) is given back as it is."""
    if field_name not in NUMBER_FIELDS or not text.strip():
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    return shown(number, indicator) if field_name == VALUE else part_shown(number)


def field_label(indicator: IndicatorLike, field_name: str) -> str:
    """The label a person sees on the field: the indicator's name for a count, the numerator's
    and denominator's own labels for a ratio."""
    if field_name == NUMERATOR:
        return indicator.numerator_label or f"Numerator for {indicator.name}"
    if field_name == DENOMINATOR:
        return indicator.denominator_label or f"Denominator for {indicator.name}"
    if field_name == INTERNAL_NOTE:
        return f"Internal note on {in_sentence(indicator.name)}"
    if field_name == PUBLISHED_NOTE:
        return f"Published note on {in_sentence(indicator.name)}"
    if field_name == EXPLANATION:
        return f"Explanation of the change in {in_sentence(indicator.name)}"
    return indicator.name


def plain_number(text: str) -> Decimal | None:
    """The number in ``text`` if it is written plainly (see PLAIN_NUMBER), else None."""
    text = (text or "").strip()
    if not PLAIN_NUMBER.fullmatch(text):
        return None
    return Decimal(text.replace(",", ""))


def same_entry(first: str, second: str, *, number: bool) -> bool:
    """Whether two texts entered in a field say the same: '1,200' is '1200'; line endings and
    surrounding spaces do not count."""
    if number:
        a, b = plain_number(first), plain_number(second)
        if a is not None and b is not None:
            return a == b
    return _normal(first) == _normal(second)


def _normal(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _read(
    text: str, label: str, *, whole: bool, indicator: str, field_name: str
) -> tuple[float | None, Problem | None]:
    text = (text or "").strip()
    if not text:
        return None, None

    def problem(message: str) -> tuple[None, Problem]:
        return None, Problem(indicator, field_name, message)

    number = plain_number(text)
    if number is None:
        try:
            odd = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return problem(f"{label} must be a number")
        if not odd.is_finite():
            return problem(f"{label} must be a number")
        # A number, but not written as people write one (1e3, 1_000, +5, ١٢, 12,5).
        if whole:
            return problem(f"Enter a whole number for {label}, like 120")
        return problem(f"Enter a number for {label}, like 12.5")
    if number < 0:
        return problem(f"{label} must be 0 or more")
    if whole and number != number.to_integral_value():
        return problem(f"{label} must be a whole number")
    if number > LARGEST_NUMBER:
        return problem(f"{label} must be {LARGEST_NUMBER:,} or less")
    return float(number), None


def _large_change(
    indicator: IndicatorLike, value: float, previous: float | None, thresholds: Thresholds
) -> str | None:
    if previous is None:
        return None
    if indicator.unit == PERCENT_UNIT:
        moved = abs(value - previous)
        if moved <= thresholds.percentage_points:
            return None
        size = f"{moved:.1f} percentage points"
    else:
        if previous == 0:
            return None  # no relative change from zero; any count may follow a nil month
        relative = abs(value - previous) / abs(previous)
        if relative <= thresholds.relative:
            return None
        size = f"{relative:.0%}"
    direction = "rose" if value > previous else "fell"
    return (
        f"{indicator.name} {direction} by {size} since last month "
        f"({shown(previous, indicator)} to {shown(value, indicator)}). Check the figure, then "
        "explain the change in the box below this warning before the return is submitted."
    )


def check_entry(
    indicator: IndicatorLike,
    *,
    value: str = "",
    numerator: str = "",
    denominator: str = "",
    internal_note: str = "",
    published_note: str = "",
    explanation: str = "",
    previous: float | None = None,
    thresholds: Thresholds | None = None,
) -> Checked:
    """Read and judge one indicator's entry. ``previous`` is last month's figure, if known."""
    thresholds = thresholds or Thresholds()
    code, name = indicator.code, indicator.name
    checked = Checked(
        indicator=code,
        internal_note=(internal_note or "").strip(),
        published_note=(published_note or "").strip(),
        explanation=(explanation or "").strip(),
        previous=previous,
    )
    if is_ratio(indicator):
        checked.numerator, error = _read(
            numerator,
            field_label(indicator, NUMERATOR),
            whole=not part_may_be_fractional(indicator.numerator_label),
            indicator=code,
            field_name=NUMERATOR,
        )
        if error:
            checked.errors.append(error)
        checked.denominator, error = _read(
            denominator,
            field_label(indicator, DENOMINATOR),
            whole=not part_may_be_fractional(indicator.denominator_label),
            indicator=code,
            field_name=DENOMINATOR,
        )
        if error:
            checked.errors.append(error)
        checked.value = _ratio(indicator, checked, thresholds)
    else:
        checked.value, error = _read(
            value, name, whole=indicator.unit == COUNT_UNIT, indicator=code, field_name=VALUE
        )
        if error:
            checked.errors.append(error)

    for note, words in ((INTERNAL_NOTE, "Internal note"), (PUBLISHED_NOTE, "Published note")):
        if len(getattr(checked, note)) > NOTE_LENGTH:
            checked.errors.append(
                Problem(
                    code, note, f"{words} for {name} must be {NOTE_LENGTH:,} characters or fewer"
                )
            )
    if len(checked.explanation) > EXPLANATION_LENGTH:
        checked.errors.append(
            Problem(
                code,
                EXPLANATION,
                f"Explanation for {name} must be {EXPLANATION_LENGTH:,} characters or fewer",
            )
        )
    if checked.ok and checked.value is not None:
        warning = _large_change(indicator, checked.value, previous, thresholds)
        if warning:
            checked.warnings.append(Problem(code, VALUE, warning))
    return checked


def _ratio(indicator: IndicatorLike, checked: Checked, thresholds: Thresholds) -> float | None:
    """The percentage or caseload from the two parts, when both are there and sound."""
    numerator, denominator, name = checked.numerator, checked.denominator, indicator.name
    if checked.errors or numerator is None or denominator is None:
        return None
    numerator_label = field_label(indicator, NUMERATOR)
    denominator_label = field_label(indicator, DENOMINATOR)
    if denominator == 0:
        checked.errors.append(
            Problem(indicator.code, DENOMINATOR, f"{denominator_label} must be more than 0")
        )
        return None
    if not is_caseload(indicator):
        if numerator > denominator:
            checked.errors.append(
                Problem(
                    indicator.code,
                    NUMERATOR,
                    f"{numerator_label} must not be more than {in_sentence(denominator_label)}",
                )
            )
            return None
        percentage = numerator / denominator * 100
        if not 0 <= percentage <= 100:  # pragma: no cover - follows from the checks above
            checked.errors.append(
                Problem(indicator.code, NUMERATOR, f"{name} must be between 0% and 100%")
            )
            return None
        return round(percentage, 6)
    caseload = numerator / denominator
    low, high = thresholds.caseload_min, thresholds.caseload_max
    if not low <= caseload <= high:
        checked.errors.append(
            Problem(
                indicator.code,
                NUMERATOR,
                f"{name} works out at {caseload:,.1f} cases for each full-time social worker; "
                f"it must be between {low:g} and {high:g}. Check the cases held and the FTE",
            )
        )
        return None
    return round(caseload, 6)


def submission_problems(indicator: IndicatorLike, checked: Checked) -> list[Problem]:
    """What stops a return being submitted, beyond the errors: blanks and unexplained moves."""
    code, name = indicator.code, indicator.name
    problems = []
    if is_ratio(indicator):
        for part, number in ((NUMERATOR, checked.numerator), (DENOMINATOR, checked.denominator)):
            if number is None:
                label = field_label(indicator, part)
                problems.append(Problem(code, part, f"Enter a figure for {label}"))
    elif checked.value is None:
        problems.append(Problem(code, VALUE, f"Enter a figure for {name}"))
    if checked.ok and checked.needs_explanation:
        problems.append(
            Problem(code, EXPLANATION, f"Explain why {name} changed so much since last month")
        )
    return problems


def all_problems(checks: Iterable[Checked]) -> list[Problem]:
    return [problem for checked in checks for problem in checked.errors]
