"""Turn chart frames into rows for templates and CSV. No queries."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from authorities.toolkit.csv_safety import safe_row

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


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def trajectory_table(table: pd.DataFrame, points: pd.DataFrame, indicator: Indicator) -> Table:
    """The data table under the chart: figures written as on the page, symbols in words."""
    ids = {
        (row.series, row.period_end, row.period_label): row.observation_id
        for row in points.itertuples()
        if not _is_missing(row.observation_id)
    }
    series_columns = list(table.columns[2:])
    rows = []
    for record in table.itertuples(index=False):
        period, period_end, *cells = record
        row = [Cell(str(period), numeric=False)]
        for series, value in zip(series_columns, cells, strict=True):
            if _is_missing(value):
                row.append(Cell(""))
            elif isinstance(value, str):
                row.append(Cell(SYMBOL_WORDS.get(value, value)))
            else:
                observation_id = ids.get((series, period_end, period))
                text = format_value(float(value), indicator.unit, indicator.decimals)
                row.append(Cell(text, int(observation_id) if observation_id else None))
        rows.append(row)
    return Table(columns=["Period", *series_columns], rows=rows)


def csv_rows(table: pd.DataFrame) -> list[list[str]]:
    """The table's rows for CSV: raw numbers, symbols kept as symbols, blank where nothing;
    every cell safe to open in a spreadsheet (``csv_safety.safe_cell``)."""
    out = []
    for record in table.itertuples(index=False):
        period, period_end, *cells = record
        row = [str(period), pd.Timestamp(period_end).date().isoformat()]
        for value in cells:
            if _is_missing(value):
                row.append("")
            elif isinstance(value, str):
                row.append(value)
            else:
                row.append(format(float(value), ".12g"))
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
