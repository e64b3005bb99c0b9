"""How numbers are written on charts and pages, without Django."""

import pytest

from authorities.toolkit import numbers
from indicators.models import PeriodKind, Unit


def test_the_plain_units_are_the_catalogues():
    # The chart builders compare units as plain strings: they must be the models' values.
    assert (numbers.PERCENT, numbers.RATE_PER_10000, numbers.COUNT) == (
        Unit.PERCENT,
        Unit.RATE_PER_10000,
        Unit.COUNT,
    )
    assert numbers.MONTH == PeriodKind.MONTH


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "written"),
    [
        (28.7, "percent", 1, "28.7%"),
        (1234.0, "count", 0, "1,234"),
        (67.04, "rate_per_10000", 1, "67.0 per 10,000"),
        (12.5, "number", 2, "12.50"),
    ],
)
def test_a_figure_as_a_person_reads_it(value, unit, decimals, written):
    assert numbers.format_figure(value, unit, decimals) == written


@pytest.mark.parametrize(
    ("change", "unit", "written"),
    [(-16.8, "percent", "16.8 percentage points"), (3.0, "rate_per_10000", "3.0 per 10,000")],
)
def test_a_change_is_written_without_its_sign(change, unit, written):
    assert numbers.format_change(change, unit, 1) == written
    assert numbers.format_change(-12.0, "count", 0) == "12"


def test_csv_writes_raw_figures_symbols_as_published_and_blank_for_none():
    assert [numbers.raw_figure(v) for v in (28.7, 1 / 3, "c", None, float("nan"), "")] == [
        "28.7",
        "0.333333333333",
        "c",
        "",
        "",
        "",
    ]


def test_how_a_figure_moved():
    assert [numbers.moved(1, 2), numbers.moved(2, 1), numbers.moved(2, 2)] == [
        "rose",
        "fell",
        "stayed",
    ]
