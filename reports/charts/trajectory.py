"""The trajectory chart: an authority's series with its comparators, inspections, events and
milestones. DataFrames in, a plotly figure (or words, or the table frame) out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from authorities.toolkit.numbers import COUNT, MONTH, format_figure, moved
from authorities.toolkit.text import lower_first

from . import style


def _style_for(role: str, period_kind: str) -> dict:
    if role == "authority" and period_kind == MONTH:
        return style.SERIES_STYLE["authority_monthly"]
    return style.SERIES_STYLE[role]


ROLE_ORDER = {"authority": 0, "report": 1, "neighbours": 2, "region": 3, "england": 4}


def _records(points: pd.DataFrame) -> list[dict]:
    """The frame's rows as dicts; DataFrame.to_dict is several times slower on small frames."""
    columns = list(points.columns)
    return [
        dict(zip(columns, row, strict=True))
        for row in zip(*(points[c].tolist() for c in columns), strict=True)
    ]


def _has_value(record: dict) -> bool:
    return not pd.isna(record["value"])


def _ordered_series(points: pd.DataFrame) -> list[tuple[str, list[dict]]]:
    """The points grouped by series (in the order first met), then ordered by role."""
    groups: dict[str, list[dict]] = {}
    for record in _records(points):
        groups.setdefault(record["series"], []).append(record)
    return sorted(groups.items(), key=lambda item: ROLE_ORDER.get(item[1][0]["role"], 9))


AXIS_PADDING = pd.Timedelta(days=120)


def monthly_on_own_axis(points: pd.DataFrame, unit: str) -> bool:
    """Whether the monthly figures are drawn against an axis of their own: a count over a year
    is about twelve times a month's, so on one axis the monthly line would lie along the bottom.
    """
    if unit != COUNT or points.empty:
        return False
    kinds = set(points.loc[points["value"].notna(), "period_kind"])
    return MONTH in kinds and len(kinds) > 1


def _between(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    stamps = pd.to_datetime(dates)
    return (stamps >= start) & (stamps <= end)


def _values(series: pd.Series) -> list[float | None]:
    """Numbers for plotly, with gaps (None) where a symbol stands instead of a figure."""
    return [None if pd.isna(v) else float(v) for v in series]


def _dates(series: pd.Series) -> list[str]:
    return [pd.Timestamp(d).strftime("%Y-%m-%d") for d in series]


def trajectory_figure(
    points: pd.DataFrame,
    inspections: pd.DataFrame,
    events: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimals: int,
    show_events: bool = True,
) -> go.Figure:
    """A line per series (authority annual and monthly, neighbours, region, England), report
    evidence as points, inspections and events as dated markers, milestones as a planned line."""
    if points.empty or points["value"].isna().all():
        return style.empty_figure("No figures for this indicator in the period chosen")
    layout = style.base_layout(title, unit)
    hover_value = style.value_format(unit, decimals)
    traces: list[dict] = []
    shapes: list[dict] = []
    annotations: list[dict] = []

    # The time axis spans the figures (and milestones); inspections and events outside it would
    # only stretch it, so they are left to the timeline below the chart.
    records = _records(points)
    drawn = [pd.Timestamp(r["period_end"]) for r in records if _has_value(r)]
    drawn += [pd.Timestamp(d) for d in milestones["due_date"]]
    start, end = min(drawn) - AXIS_PADDING, max(drawn) + AXIS_PADDING
    layout["xaxis"]["range"] = [start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")]
    inspections = inspections[_between(inspections["date"], start, end)]
    events = events[_between(events["date"], start, end)]
    if not inspections.empty:
        # Room above the plot for the slanted grades ("Ofsted: Requires improvement").
        layout["margin"] = {**layout["margin"], "t": 125}

    split = monthly_on_own_axis(points, unit)
    if split:
        layout["yaxis"]["title"] = {"text": "Each year (left)"}
        layout["yaxis2"] = {
            **layout["yaxis"],
            "title": {"text": "Each month (right)"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickmode": "auto",  # round numbers of its own, not the left axis's divisions
        }
        layout["margin"] = {**layout["margin"], "r": 70}
    for name, series in _ordered_series(points):
        role = series[0]["role"]
        look = _style_for(role, series[0]["period_kind"])
        is_report = role == "report"
        traces.append(
            {
                "type": "scatter",
                "yaxis": "y2" if split and series[0]["period_kind"] == MONTH else "y",
                "x": [pd.Timestamp(r["period_end"]).strftime("%Y-%m-%d") for r in series],
                "y": [None if pd.isna(r["value"]) else float(r["value"]) for r in series],
                "name": style.plain(name),
                "mode": "markers" if is_report else "lines+markers",
                "line": {"color": look["color"], "dash": look["dash"], "width": look["width"] or 1},
                "marker": {
                    "symbol": look["symbol"],
                    "size": 12 if is_report else 7,
                    "color": look["color"],
                },
                "connectgaps": False,
                "customdata": [
                    [
                        style.plain(r["period_label"]),
                        style.plain(r["note"]) if isinstance(r["note"], str) else "",
                    ]
                    for r in series
                ],
                "hovertemplate": f"{style.plain(name)}<br>%{{customdata[0]}}: {hover_value}"
                "<br>%{customdata[1]}<extra></extra>",
            }
        )

    if not milestones.empty:
        first_due = pd.Timestamp(milestones["due_date"].min())
        own = [
            r
            for r in records
            if r["role"] == "authority"
            and _has_value(r)
            and pd.Timestamp(r["period_end"]) <= first_due
        ]
        # The plan starts from the last actual figure before its first due date.
        before = max(own, key=lambda r: pd.Timestamp(r["period_end"]), default=None)
        before_x = [pd.Timestamp(before["period_end"]).strftime("%Y-%m-%d")] if before else []
        before_y = [float(before["value"])] if before else []
        labels = ["Actual before the plan"] * len(before_x) + [
            f"Milestone due {pd.Timestamp(d):%d %b %Y}" for d in milestones["due_date"]
        ]
        look = style.SERIES_STYLE["milestones"]
        traces.append(
            {
                "type": "scatter",
                "x": before_x + _dates(milestones["due_date"]),
                "y": before_y + _values(milestones["value"]),
                "name": "Milestones (planned)",
                "mode": "lines+markers",
                "line": {"color": look["color"], "dash": look["dash"], "width": look["width"]},
                "marker": {"symbol": look["symbol"], "size": 11, "color": look["color"]},
                "customdata": labels,
                "hovertemplate": f"%{{customdata}}<br>{hover_value}<extra></extra>",
            }
        )

    for row in inspections.itertuples():
        when = pd.Timestamp(row.date).strftime("%Y-%m-%d")
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": when,
                "x1": when,
                "y0": 0,
                "y1": 1,
                "line": {"color": style.INSPECTION_COLOUR, "width": 1, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": when,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"Ofsted: {row.grade}",
                "showarrow": False,
                "textangle": -30,
                "font": {"size": 11, "color": style.TEXT},
                "hovertext": f"{row.framework} {row.kind.lower()} "
                f"from {pd.Timestamp(row.start_date):%d %b %Y}",
            }
        )

    if show_events:
        for row in events.itertuples():
            annotations.append(
                {
                    "x": pd.Timestamp(row.date).strftime("%Y-%m-%d"),
                    "y": 0,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "text": "▲",
                    "showarrow": False,
                    "font": {"size": 12, "color": style.EVENT_COLOUR},
                    "hovertext": f"{pd.Timestamp(row.date):%d %b %Y}: "
                    + style.plain(f"{row.category}, {row.description}"),
                }
            )
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    return style.build_figure(traces, layout)


def _extreme_turn(values: list[float]) -> int | None:
    """The index of the interior point furthest from the straight line between the ends, if the
    series turned there (rose then fell, or fell then rose)."""
    if len(values) < 3:
        return None
    first, last = values[0], values[-1]
    best, best_distance = None, 0.0
    for index in range(1, len(values) - 1):
        straight = first + (last - first) * index / (len(values) - 1)
        distance = abs(values[index] - straight)
        turned = (values[index] - first) * (values[index] - last) > 0
        if turned and distance > best_distance:
            best, best_distance = index, distance
    span = max(values) - min(values)
    if best is None or span == 0 or best_distance < 0.25 * span:
        return None
    return best


def describe_trajectory(
    points: pd.DataFrame,
    *,
    indicator_name: str,
    area_name: str,
    unit: str,
    decimals: int,
) -> str:
    """The chart's text alternative, written from the data it draws."""
    records = [r for r in _records(points) if _has_value(r)]
    if not records:
        return f"No figures for {lower_first(indicator_name)} in {area_name} in the period chosen."

    def written(value: float) -> str:
        return format_figure(value, unit, decimals)

    def newest(rows: list[dict]) -> dict:
        return max(rows, key=lambda r: pd.Timestamp(r["period_end"]))

    own = [r for r in records if r["role"] == "authority"] or records
    # Describe the authority's principal series: annual if it has one, else monthly.
    annual = [r for r in own if r["period_kind"] != MONTH]
    main = annual or own
    main = sorted(
        (r for r in main if r["series"] == main[0]["series"]),
        key=lambda r: pd.Timestamp(r["period_end"]),
    )
    values = [float(r["value"]) for r in main]
    labels = [r["period_label"] for r in main]
    first_label, last_label = labels[0], labels[-1]
    sentence = (
        f"Line chart of {lower_first(indicator_name)}, {area_name}, {first_label} to {last_label}: "
    )
    if len(values) == 1:
        sentence += f"{written(values[0])} in {first_label}"
    else:
        turn = _extreme_turn(values)
        if turn is None:
            verb = moved(values[0], values[-1])
            if verb == "stayed":
                sentence += f"stayed at {written(values[0])} from {first_label} to {last_label}"
            else:
                sentence += (
                    f"{verb} from {written(values[0])} in {first_label} "
                    f"to {written(values[-1])} in {last_label}"
                )
        else:
            sentence += (
                f"{moved(values[0], values[turn])} from {written(values[0])} in {first_label} "
                f"to {written(values[turn])} in {labels[turn]}, then "
                f"{moved(values[turn], values[-1])} to {written(values[-1])} in {last_label}"
            )
    extras = []
    for role in ("england", "region", "neighbours"):
        comparator = [r for r in records if r["role"] == role]
        if comparator:
            latest = newest(comparator)
            extras.append(
                f"{latest['series']} {written(latest['value'])} in {latest['period_label']}"
            )
    monthly = [r for r in own if r["period_kind"] == MONTH]
    if annual and monthly:
        latest = newest(monthly)
        extras.append(
            f"latest monthly figure {written(latest['value'])} in {latest['period_label']}"
        )
    return sentence + ("; " + "; ".join(extras) if extras else "") + "."


def trajectory_table(points: pd.DataFrame) -> pd.DataFrame:
    """What the chart draws, one row per period and one column per series: the data table and
    the CSV are both made from this frame, so they cannot disagree. A cell holds the figure, or
    its symbol where a symbol stands instead."""
    if points.empty:
        return pd.DataFrame(columns=["Period", "Period end"])
    ordered = [name for name, _ in _ordered_series(points)]
    rows: dict[tuple, dict] = {}
    for series, end, label, value, symbol in zip(
        points["series"],
        points["period_end"],
        points["period_label"],
        points["value"],
        points["symbol"],
        strict=True,
    ):
        row = rows.setdefault((end, label), {"Period": label, "Period end": end})
        if series not in row:  # the first figure drawn for a series and period
            row[series] = symbol if pd.isna(value) else value
    records = [rows[key] for key in sorted(rows, key=lambda k: (pd.Timestamp(k[0]), k[1]))]
    return pd.DataFrame.from_records(records, columns=["Period", "Period end", *ordered])
