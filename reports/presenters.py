"""Turn chart frames into rows for templates and CSV. No queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from authorities.toolkit.csv_safety import safe_row
from authorities.toolkit.numbers import is_missing, raw_figure

from .formatting import SYMBOL_WORDS, format_value

if TYPE_CHECKING:
    from indicators.models import Indicator


@dataclass
class Cell:
    text: str
    href_id: int | None = None  # the observation behind the figure, for its source link
    numeric: bool = True


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    numeric_from: int = 1  # the first column whose heading is aligned as numbers


def _observation_ids(points: pd.DataFrame) -> dict[tuple, int]:
    """The observation behind each drawn figure, by (series, period end, period label)."""
    return {
        (row.series, row.period_end, row.period_label): int(row.observation_id)
        for row in points.itertuples()
        if not is_missing(row.observation_id)
    }


def _figure_cell(
    value: object, observation_id: int | None, indicator: Indicator, *, link_symbol: bool = False
) -> Cell:
    """A figure written as on the page and linked to its source; a symbol in words."""
    if is_missing(value):
        return Cell("")
    if isinstance(value, str):
        return Cell(SYMBOL_WORDS.get(value, value), observation_id if link_symbol else None)
    text = format_value(float(value), indicator.unit, indicator.decimals)  # type: ignore[arg-type]
    return Cell(text, observation_id)


def trajectory_table(table: pd.DataFrame, points: pd.DataFrame, indicator: Indicator) -> Table:
    """The data table under the chart: figures written as on the page, symbols in words."""
    ids = _observation_ids(points)
    series_columns = list(table.columns[2:])
    rows = []
    for record in table.itertuples(index=False):
        period, period_end, *cells = record
        row = [Cell(str(period), numeric=False)]
        for series, value in zip(series_columns, cells, strict=True):
            row.append(_figure_cell(value, ids.get((series, period_end, period)), indicator))
        rows.append(row)
    return Table(columns=["Period", *series_columns], rows=rows)


def aligned_cells(table: pd.DataFrame, points: pd.DataFrame, indicator: Indicator) -> Table:
    """The aligned data table for the page: figures written as elsewhere, symbols in words,
    each figure linked to its source."""
    ids = _observation_ids(points)
    rows = []
    for authority, anchor, period, period_end, years, value in table.itertuples(index=False):
        observation_id = ids.get((authority, period_end, period))
        figure = _figure_cell(value, observation_id, indicator, link_symbol=True)
        rows.append(
            [
                Cell(str(authority), numeric=False),
                Cell(pd.Timestamp(anchor).strftime("%d %b %Y"), numeric=False),
                Cell(str(period), numeric=False),
                Cell(f"{float(years):.1f}"),
                figure,
            ]
        )
    columns = [str(column) for column in table.columns]
    return Table(
        columns=[columns[0], columns[1], columns[2], columns[4], columns[5]],
        rows=rows,
        numeric_from=3,
    )


def csv_rows(table: pd.DataFrame) -> list[list[str]]:
    """The table's rows for CSV: raw numbers, symbols kept as symbols, blank where nothing;
    every cell safe to open in a spreadsheet (``csv_safety.safe_cell``)."""
    out = []
    for record in table.itertuples(index=False):
        period, period_end, *cells = record
        row = [str(period), pd.Timestamp(period_end).date().isoformat()]
        row += [raw_figure(value) for value in cells]
        out.append(safe_row(row))
    return out


@dataclass
class EvidencePoint:
    period_label: str
    text: str
    quote: str
    observation_id: int


def report_evidence(points: pd.DataFrame, indicator: Indicator) -> list[EvidencePoint]:
    """The report figures drawn on the chart, each with its quote."""
    report = points[points["role"] == "report"]
    return [
        EvidencePoint(
            period_label=row.period_label,
            text=format_value(row.value, indicator.unit, indicator.decimals, row.symbol),
            quote=row.note,
            observation_id=int(row.observation_id),
        )
        for row in report.itertuples()
    ]
