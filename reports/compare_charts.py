"""Pure chart builders for comparing councils: DataFrames in, a plotly Figure (or words, or a
table frame) out. No ORM, no request.

The points frame has the columns of ``reports.comparisons.COMPARE_COLUMNS``: one row per figure,
``series`` naming the authority (or England), ``order`` its place in the comparison, ``role``
"focus", "other" or "england", and ``x`` either the period's end date (calendar time) or years
since the authority's anchor. Frames are turned into plain lists once (``_series``): pandas
indexing per series costs more than everything else here.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import chart_style as style
from .charts import empty_figure
from .formatting import SYMBOL_WORDS, format_value, lower_first
from .presenters import Cell, Table

if TYPE_CHECKING:
    from .comparisons import League, LeagueRow

EMPTY_MESSAGE = "No figures to compare for this indicator"
LABEL_GAP = 0.045  # of the y range: how far apart the end-of-line labels are kept
PANEL_COLUMNS = 3
DRAW_ORDER = {"england": 0, "other": 1, "focus": 2}  # the focus is drawn last, on top


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


@dataclass
class Series:
    """One line: its name, role and points (dicts with the frame's columns), oldest first."""

    name: str
    role: str
    order: int
    rows: list[dict[str, Any]]

    @property
    def present(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if not _missing(row["value"])]

    def values(self) -> list[float | None]:
        return [None if _missing(row["value"]) else float(row["value"]) for row in self.rows]

    def labels(self) -> list[str]:
        return [str(row["period_label"]) for row in self.rows]

    def xs(self, aligned: bool) -> list:
        if aligned:
            return [float(row["x"]) for row in self.rows]
        return [_iso(row["period_end"]) for row in self.rows]


def _iso(date: object) -> str:
    return pd.Timestamp(date).strftime("%Y-%m-%d")  # type: ignore[arg-type]


def _series(points: pd.DataFrame) -> list[Series]:
    """The frame's series in the order chosen (England last)."""
    found: dict[str, Series] = {}
    for row in points.to_dict("records"):
        name = str(row["series"])
        if name not in found:
            found[name] = Series(name, str(row["role"]), int(row["order"]), [])
        found[name].rows.append(row)
    for series in found.values():
        series.rows.sort(key=lambda row: row["period_end"])
    return sorted(found.values(), key=lambda series: series.order)


def _has_values(series: list[Series]) -> bool:
    return any(series.present for series in series)


def _look(role: str) -> dict:
    return style.SERIES_STYLE["england" if role == "england" else role]


_figure = style.build_figure


def _spread(targets: list[float], gap: float) -> list[float]:
    """Label heights near their lines' ends but at least ``gap`` apart, in the same order."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    placed = [0.0] * len(targets)
    previous = -math.inf
    for index in order:
        placed[index] = max(targets[index], previous + gap)
        previous = placed[index]
    # Shift down so that the labels sit around their lines rather than all above them.
    overshoot = sum(placed) - sum(targets)
    shift = overshoot / len(targets) if targets else 0
    return [value - shift for value in placed]


def _line(series: Series, xs: list, look: dict, hovertemplate: str, **extra: object) -> dict:
    return {
        "type": "scatter",
        "x": xs,
        "y": series.values(),
        "name": style.plain(series.name),
        "mode": "lines+markers",
        "line": {"color": look["color"], "dash": look["dash"], "width": look["width"]},
        "marker": {"symbol": look["symbol"], "size": 5, "color": look["color"]},
        "connectgaps": False,
        "customdata": series.labels(),
        "hovertemplate": hovertemplate,
        **extra,
    }


def _all_values(series: list[Series]) -> list[float]:
    return [float(row["value"]) for line in series for row in line.present]


def compare_figure(
    points: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimals: int,
    axis_title: str = "",
) -> go.Figure:
    """A line per authority, the focus emphasised and the others muted, each labelled at its
    last point with its name (not told apart by colour alone); England as a reference line.
    ``axis_title`` set means an aligned chart: x is years since each authority's anchor."""
    lines = _series(points)
    if not _has_values(lines):
        return empty_figure(EMPTY_MESSAGE)
    aligned = bool(axis_title)
    layout = style.base_layout(title, unit)
    layout["showlegend"] = False
    longest = max(len(line.name) for line in lines)
    layout["margin"] = {**layout["margin"], "r": min(300, 30 + 8 * longest)}
    if aligned:
        layout["xaxis"] = {
            **layout["xaxis"],
            "type": "linear",
            "title": {"text": axis_title},
            "zeroline": True,
            "zerolinecolor": style.TEXT,
            "zerolinewidth": 2,
        }
    hover_value = style.value_format(unit, decimals)
    hover_x = "%{x:.1f} years, " if aligned else ""

    traces = []
    ends: list[tuple[Series, object, float]] = []
    for line in sorted(lines, key=lambda line: DRAW_ORDER.get(line.role, 1)):
        look = _look(line.role)
        xs = line.xs(aligned)
        traces.append(
            _line(
                line,
                xs,
                look,
                f"{style.plain(line.name)}<br>%{{customdata}}: {hover_x}{hover_value}"
                "<extra></extra>",
                marker={
                    "symbol": look["symbol"],
                    "size": 8 if line.role == "focus" else 5,
                    "color": look["color"],
                },
            )
        )
        present = [(x, y) for x, y in zip(xs, line.values(), strict=True) if y is not None]
        if present:
            ends.append((line, present[-1][0], present[-1][1]))

    values = _all_values(lines)
    span = (max(values) - min(0.0, min(values))) or 1.0
    heights = _spread([end[2] for end in ends], span * LABEL_GAP)
    layout["annotations"] = [
        {
            "x": x,
            "y": y,
            "ax": 14,
            "axref": "pixel",
            "ay": height,
            "ayref": "y",
            "text": style.plain(line.name),
            "showarrow": True,
            "arrowhead": 0,
            "arrowwidth": 1,
            "arrowcolor": _look(line.role)["color"],
            "xanchor": "left",
            # Bold by font weight, not <b>: plotly.js styles markup with style attributes,
            # which the Content Security Policy refuses.
            "font": {
                "size": 12,
                "color": _look(line.role)["color"],
                "weight": "bold" if line.role == "focus" else "normal",
            },
        }
        for (line, x, y), height in zip(ends, heights, strict=True)
    ]
    return _figure(traces, layout)


@functools.lru_cache(maxsize=16)
def _panel_grid(rows: int, columns: int) -> tuple[dict, tuple[tuple[str, str], ...]]:
    """The layout of a grid of small charts on shared axes, and each panel's axis references.
    make_subplots is slow and the grid depends only on its shape, so it is made once per shape.
    """
    grid = make_subplots(
        rows=rows,
        cols=columns,
        shared_xaxes="all",
        shared_yaxes="all",
        horizontal_spacing=0.05,
        vertical_spacing=0.32 / rows if rows > 1 else 0.1,
    )
    layout = grid.layout.to_plotly_json()
    layout.pop("template", None)
    refs = []
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            panel = grid.get_subplot(row, column)
            refs.append(
                (
                    panel.xaxis.plotly_name.replace("axis", ""),
                    panel.yaxis.plotly_name.replace("axis", ""),
                )
            )
    return layout, tuple(refs)


def neighbours_figure(
    points: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimals: int,
    columns: int = PANEL_COLUMNS,
) -> go.Figure:
    """Small multiples: one small chart per authority (the focus first), each titled with its
    name, all on the same axes, with England drawn in every one for reference."""
    lines = _series(points)
    if not _has_values(lines):
        return empty_figure(EMPTY_MESSAGE)
    panels = [line for line in lines if line.role != "england"]
    england = [line for line in lines if line.role == "england"]
    rows = math.ceil(len(panels) / columns)
    grid, refs = _panel_grid(rows, columns)
    layout = {**copy.deepcopy(grid), **style.base_layout(title, unit)}
    layout["showlegend"] = False
    layout["height"] = 90 + 230 * rows

    values = _all_values(lines)
    low, high = min(0.0, min(values)), max(values)
    ends = [row["period_end"] for line in lines for row in line.rows]
    x_range = [_iso(min(ends)), _iso(max(ends))]
    y_range = [low, high + ((high - low) * 0.08 or 1)]
    for key, axis in grid.items():
        if key.startswith("xaxis"):
            layout[key] = {
                **axis,
                "type": "date",
                "range": x_range,
                "gridcolor": style.GRID,
                "linecolor": style.TEXT,
                "ticks": "outside",
                "showticklabels": True,
            }
        elif key.startswith("yaxis"):
            layout[key] = {
                **axis,
                "range": y_range,
                "gridcolor": style.GRID,
                "linecolor": style.TEXT,
                "ticks": "outside",
                "ticksuffix": style.axis_suffix(unit),
            }

    hover_value = style.value_format(unit, decimals)
    england_look = {**style.SERIES_STYLE["england"], "width": 1}
    traces: list[dict] = []
    titles: list[dict] = []
    for line, (x_ref, y_ref) in zip(panels, refs, strict=False):
        axes = {"xaxis": x_ref, "yaxis": y_ref}
        for reference in england:
            traces.append(
                _line(
                    reference,
                    reference.xs(False),
                    england_look,
                    f"{style.plain(reference.name)}<br>%{{customdata}}: {hover_value}"
                    "<extra></extra>",
                    mode="lines",
                    **axes,
                )
            )
        look = {**_look(line.role), "width": 3 if line.role == "focus" else 2}
        traces.append(
            _line(
                line,
                line.xs(False),
                look,
                f"{style.plain(line.name)}<br>%{{customdata}}: {hover_value}<extra></extra>",
                **axes,
            )
        )
        x_domain = layout[x_ref.replace("x", "xaxis")]["domain"]
        y_domain = layout[y_ref.replace("y", "yaxis")]["domain"]
        titles.append(
            {
                "text": style.plain(line.name),
                "x": (x_domain[0] + x_domain[1]) / 2,
                "y": y_domain[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {
                    "size": 13,
                    "color": style.TEXT,
                    "weight": "bold" if line.role == "focus" else "normal",
                },
            }
        )
    layout["annotations"] = titles
    return _figure(traces, layout)


# --- text alternatives ------------------------------------------------------------------------


def _moved(start: float, end: float) -> str:
    if end > start:
        return "rose"
    if end < start:
        return "fell"
    return "stayed"


def _journey(line: Series, written: Callable[[float], str], aligned: bool) -> str:
    present = line.present
    if not present:
        return ""
    first, last = present[0], present[-1]

    def when(row: dict[str, Any]) -> str:
        if not aligned:
            return f"in {row['period_label']}"
        years = float(row["x"])
        if years < 0:
            return f"{abs(years):.1f} years before ({row['period_label']})"
        return f"{years:.1f} years after ({row['period_label']})"

    if len(present) == 1:
        return f"was {written(first['value'])} {when(first)}"
    verb = _moved(float(first["value"]), float(last["value"]))
    if verb == "stayed":
        return f"stayed at {written(first['value'])} from {when(first)} to {when(last)}"
    return (
        f"{verb} from {written(first['value'])} {when(first)} "
        f"to {written(last['value'])} {when(last)}"
    )


def describe_compare(
    points: pd.DataFrame,
    *,
    indicator_name: str,
    unit: str,
    decimals: int,
    anchor_words: str = "",
    lead: str = "",
) -> str:
    """The comparison chart's text alternative, written from the data it draws: how the
    emphasised authority moved, who was highest and lowest at the end, and England."""
    lines = _series(points)
    if not _has_values(lines):
        return f"No figures to compare for {lower_first(indicator_name)}."

    def written(value: float) -> str:
        return format_value(float(value), unit, decimals)

    aligned = bool(anchor_words)
    authorities = [line for line in lines if line.role != "england"]
    england = [line for line in lines if line.role == "england"]
    present = sorted(
        (row for line in lines for row in line.present), key=lambda row: row["period_end"]
    )
    count = f"{len(authorities)} authorit{'y' if len(authorities) == 1 else 'ies'}"
    if lead:
        sentences = [lead]
    elif aligned:
        sentences = [
            f"Line chart of {lower_first(indicator_name)} for {count}, each drawn against "
            f"years since its {anchor_words}."
        ]
    else:
        reference = " with England for reference" if england else ""
        sentences = [
            f"Line chart of {lower_first(indicator_name)} for {count}, "
            f"{present[0]['period_label']} to {present[-1]['period_label']}{reference}."
        ]

    focus = next((line for line in authorities if line.role == "focus"), None)
    if focus is not None:
        journey = _journey(focus, written, aligned)
        emphasis = " (emphasised)" if len(authorities) > 1 else ""
        if journey:
            sentences.append(f"{focus.name}{emphasis} {journey}.")

    with_figures = [line for line in authorities if line.present]
    if len(authorities) > 1 and with_figures:
        if aligned:
            ends = [(line.name, line.present[-1]) for line in with_figures]
            phrase = "At their latest figures"
        else:
            last_end = max(line.present[-1]["period_end"] for line in with_figures)
            ends = [
                (line.name, row)
                for line in with_figures
                for row in line.present
                if row["period_end"] == last_end
            ]
            phrase = f"In {ends[0][1]['period_label']}"
        if len(ends) > 1:
            high = max(ends, key=lambda end: float(end[1]["value"]))
            low = min(ends, key=lambda end: float(end[1]["value"]))
            sentences.append(
                f"{phrase}, the highest of the {len(ends)} with a figure was {high[0]} "
                f"({written(high[1]['value'])}) and the lowest {low[0]} "
                f"({written(low[1]['value'])})."
            )
    for line in england:
        if line.present:
            row = line.present[-1]
            sentences.append(f"{line.name}: {written(row['value'])} in {row['period_label']}.")
    return " ".join(sentences)


# --- tables (the data table and the CSV are both made from these frames) -----------------------


def _cell_value(value: object, symbol: object) -> object:
    return symbol if _missing(value) else value


def compare_table(points: pd.DataFrame) -> pd.DataFrame:
    """Calendar time: one row per period, one column per authority then England."""
    lines = _series(points)
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


ALIGNED_COLUMNS = ["Authority", "Anchor date", "Period", "Period end", "Years since anchor"]


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
        for line in _series(points)
        if line.role != "england"
        for row in line.rows
    ]
    return pd.DataFrame(rows, columns=[*ALIGNED_COLUMNS, value_heading])


def _observation_ids(points: pd.DataFrame) -> dict[tuple, int]:
    return {
        (line.name, row["period_end"], row["period_label"]): int(row["observation_id"])
        for line in _series(points)
        for row in line.rows
        if not _missing(row["observation_id"])
    }


def aligned_cells(table: pd.DataFrame, points: pd.DataFrame, *, unit: str, decimals: int) -> Table:
    """The aligned data table for the page: figures written as elsewhere, symbols in words,
    each figure linked to its source."""
    ids = _observation_ids(points)
    rows = []
    for authority, anchor, period, period_end, years, value in table.itertuples(index=False):
        observation_id = ids.get((authority, period_end, period))
        if _missing(value):
            figure = Cell("")
        elif isinstance(value, str):
            figure = Cell(SYMBOL_WORDS.get(value, value), observation_id)
        else:
            figure = Cell(format_value(float(value), unit, decimals), observation_id)
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
    return Table(columns=[columns[0], columns[1], columns[2], columns[4], columns[5]], rows=rows)


def _raw(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, str):
        return value
    return format(float(value), ".12g")  # type: ignore[arg-type]


def aligned_csv_rows(table: pd.DataFrame) -> list[list[str]]:
    """The aligned table's rows for CSV: dates as ISO, raw numbers, symbols as symbols."""
    return [
        [
            str(authority),
            pd.Timestamp(anchor).date().isoformat(),
            str(period),
            pd.Timestamp(period_end).date().isoformat(),
            _raw(years),
            _raw(value),
        ]
        for authority, anchor, period, period_end, years, value in table.itertuples(index=False)
    ]


# --- the league table -------------------------------------------------------------------------

DIRECTION_WORDS = {"better": "better", "worse": "worse", "same": "no change"}


@dataclass
class LeagueLine:
    """One league row as the page writes it."""

    row: LeagueRow
    value_text: str
    change_text: str
    direction_words: str


def _unit_words(unit: str) -> str:
    return {"percent": "percentage points", "rate_per_10000": "per 10,000"}.get(unit, "")


def league_headings(league: League) -> dict[str, str]:
    """Column headings, shared by the page and the CSV."""
    period = league.period.label if league.period else ""
    previous = league.previous.label if league.previous else "the previous period"
    unit_words = _unit_words(league.indicator.unit)
    return {
        "name": "Authority",
        "region": "Region",
        "value": f"{league.indicator.label}, {period}",
        "band": "Quartile band",
        "rank": "National rank",
        "change": f"Change since {previous}" + (f" ({unit_words})" if unit_words else ""),
        "grade": "Latest Ofsted judgement",
    }


def league_lines(league: League) -> list[LeagueLine]:
    indicator = league.indicator
    lines = []
    for row in league.rows:
        change_text = ""
        if row.change is not None:
            change_text = f"{row.change:+,.{indicator.decimals}f}"
        lines.append(
            LeagueLine(
                row=row,
                value_text=format_value(row.value, indicator.unit, indicator.decimals, row.symbol),
                change_text=change_text,
                direction_words=DIRECTION_WORDS.get(row.direction, ""),
            )
        )
    return lines


def league_csv(league: League) -> tuple[list[str], list[list[str]]]:
    """The league as CSV: the page's columns and rows in the page's order, raw numbers, symbols
    as symbols, with the GSS code and the highlighted group spelt out."""
    headings = league_headings(league)
    header = [
        headings["name"],
        "GSS code",
        headings["region"],
        headings["value"],
        headings["band"],
        headings["rank"],
        headings["change"],
        headings["grade"],
        "Judgement started",
        "Neighbour of",
    ]
    rows = []
    for row in league.rows:
        rows.append(
            [
                row.name,
                row.code,
                row.region,
                row.symbol if row.value is None else _raw(row.value),
                row.band,
                "" if row.rank is None else str(row.rank),
                "" if row.change is None else _raw(row.change),
                row.grade_label,
                row.grade_date.isoformat() if row.grade_date else "",
                row.neighbour_of,
            ]
        )
    return header, rows
