"""One style for every chart: colours, line dashes and markers (so colour is never the only
signal), fonts, hover templates and the explicit empty state."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from authorities.toolkit.numbers import PERCENT

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#0b0c0c"
GRID = "#e5e6e7"

# role -> line colour, dash, marker symbol, line width (GOV.UK palette, distinct dashes)
SERIES_STYLE: dict[str, dict] = {
    "authority": {"color": "#1d70b8", "dash": "solid", "symbol": "circle", "width": 3},
    "authority_monthly": {
        "color": "#5694ca",
        "dash": "solid",
        "symbol": "circle-open",
        "width": 1.5,
    },
    "neighbours": {"color": "#b35900", "dash": "dash", "symbol": "square", "width": 2},
    "region": {"color": "#4c2c92", "dash": "dot", "symbol": "triangle-up", "width": 2},
    "england": {"color": "#0b0c0c", "dash": "dashdot", "symbol": "diamond", "width": 2},
    "report": {"color": "#d4351c", "dash": "solid", "symbol": "star", "width": 0},
    "milestones": {"color": "#00703c", "dash": "longdash", "symbol": "x", "width": 2},
    "focus": {"color": "#1d70b8", "dash": "solid", "symbol": "circle", "width": 4},
    "other": {"color": "#505a5f", "dash": "solid", "symbol": "circle", "width": 1.5},
}
INSPECTION_COLOUR = "#505a5f"
EVENT_COLOUR = "#8a6d00"


def plain(text: str) -> str:
    """Text from the data (names, descriptions) as plotly should show it. Plotly reads a few
    HTML tags in labels and hover text; escaped, a name such as "A <b>" is shown as written."""
    return html.escape(str(text), quote=False)


def axis_suffix(unit: str) -> str:
    return "%" if unit == PERCENT else ""


def value_format(unit: str, decimals: int) -> str:
    """A d3 format for hover text that matches how the page writes the figure."""
    return f"%{{y:,.{decimals}f}}{axis_suffix(unit)}"


def base_layout(title: str, unit: str) -> dict:
    return {
        # The page's heading names the chart; the top margin is kept for inspection labels.
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}}
        if title
        else None,
        "font": {"family": FONT, "color": TEXT, "size": 14},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 30, "t": 90, "b": 60},
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.15, "x": 0},
        "xaxis": {"type": "date", "gridcolor": GRID, "linecolor": TEXT, "ticks": "outside"},
        "yaxis": {
            "gridcolor": GRID,
            "linecolor": TEXT,
            "ticks": "outside",
            "ticksuffix": axis_suffix(unit),
            "rangemode": "tozero",
        },
    }


def build_figure(traces: list[dict], layout: dict) -> go.Figure:
    """The figure from plain dicts, built in one step. Validating each trace and annotation as
    it is added costs more than the rest of the page; the tests validate the builders' output
    once instead (``go.Figure(figure.to_dict())``)."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def empty_figure(message: str) -> go.Figure:
    """The explicit empty state: a blank chart that says why it is blank."""
    layout = base_layout("", "")
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    layout["annotations"] = [
        {
            "text": message,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 16},
        }
    ]
    return build_figure([], layout)
