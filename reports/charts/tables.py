"""The comparison's table frames: the data table on the page and the CSV are both made from these,
so they cannot disagree. A cell holds the figure, or its symbol where a symbol stands instead."""

from __future__ import annotations

import pandas as pd

from authorities.toolkit.numbers import is_missing, raw_figure

from .compare import split_series

ALIGNED_COLUMNS = ["Authority", "Anchor date", "Period", "Period end", "Years since anchor"]


def _cell_value(value: object, symbol: object) -> object:
    return symbol if is_missing(value) else value


def compare_table(points: pd.DataFrame) -> pd.DataFrame:
    """Calendar time: one row per period, one column per authority then England."""
    lines = split_series(points)
    if not lines:
        return pd.DataFrame(columns=["Period", "Period end"])
    names = [line.name for line in lines]
    cells: dict[tuple, object] = {}
    for line in lines:
        for row in line.rows:
            key = (row["period_end"], row["period_label"], line.name)
            cells.setdefault(key, _cell_value(row["value"], row["symbol"]))
    periods = sorted({(end, label) for end, label, _ in cells})
    rows = [
        [label, end, *(cells.get((end, label, name)) for name in names)] for end, label in periods
    ]
    return pd.DataFrame(rows, columns=["Period", "Period end", *names])


def aligned_table(points: pd.DataFrame, value_heading: str) -> pd.DataFrame:
    """Aligned time: one row per authority and period, with its years since the anchor."""
    rows = [
        [
            line.name,
            row["anchor"],
            row["period_label"],
            row["period_end"],
            float(row["x"]),
            _cell_value(row["value"], row["symbol"]),
        ]
        for line in split_series(points)
        if line.role != "england"
        for row in line.rows
    ]
    return pd.DataFrame(rows, columns=[*ALIGNED_COLUMNS, value_heading])


def aligned_csv_rows(table: pd.DataFrame) -> list[list[str]]:
    """The aligned table's rows for CSV: dates as ISO, raw numbers, symbols as symbols."""
    return [
        [
            str(authority),
            pd.Timestamp(anchor).date().isoformat(),
            str(period),
            pd.Timestamp(period_end).date().isoformat(),
            raw_figure(years),
            raw_figure(value),
        ]
        for authority, anchor, period, period_end, years, value in table.itertuples(index=False)
    ]
