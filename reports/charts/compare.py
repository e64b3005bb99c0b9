"""The comparison charts: authorities side by side on one chart, or as small multiples on shared
axes, and their text alternative. DataFrames in, a plotly figure (or words) out.

The points frame has the columns of ``reports.compare.selectors.COMPARE_COLUMNS``: one row per
figure, ``series`` naming the authority (or England), ``order`` its place in the comparison,
``role`` "focus", "other" or "england", and ``x`` either the period's end date (calendar time) or
years since the authority's anchor. Frames are turned into plain lists once (``split_series``):
pandas indexing per series costs more than everything else here.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from authorities.toolkit.numbers import format_figure, is_missing, moved
from authorities.toolkit.text import lower_first

from . import style

EMPTY_MESSAGE = "No figures to compare for this indicator"
LABEL_GAP = 0.045  # of the y range: how far apart the end-of-line labels are kept
PANEL_COLUMNS = 3
DRAW_ORDER = {"england": 0, "other": 1, "focus": 2}  # the focus is drawn last, on top


@dataclass
class Series:
    """One line: its name, role and points (dicts with the frame's columns), oldest first."""

    name: str
    role: str
    order: int
    rows: list[dict[str, Any]]

    @property
    def present(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if not is_missing(row["value"])]

    def values(self) -> list[float | None]:
        return [None if is_missing(row["value"]) else float(row["value"]) for row in self.rows]

    def labels(self) -> list[str]:
        return [str(row["period_label"]) for row in self.rows]

    def xs(self, aligned: bool) -> list:
        if aligned:
            return [float(row["x"]) for row in self.rows]
        return [_iso(row["period_end"]) for row in self.rows]


def _iso(date: object) -> str:
    return pd.Timestamp(date).strftime("%Y-%m-%d")  # type: ignore[arg-type]


def split_series(points: pd.DataFrame) -> list[Series]:
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
    lines = split_series(points)
    if not _has_values(lines):
        return style.empty_figure(EMPTY_MESSAGE)
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
    lines = split_series(points)
    if not _has_values(lines):
        return style.empty_figure(EMPTY_MESSAGE)
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
    verb = moved(float(first["value"]), float(last["value"]))
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
    lines = split_series(points)
    if not _has_values(lines):
        return f"No figures to compare for {lower_first(indicator_name)}."

    def written(value: float) -> str:
        return format_figure(float(value), unit, decimals)

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
