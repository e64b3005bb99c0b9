"""The comparison's chart builders and table frames, on hand-made frames: pure, no database."""

import datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from reports.charts import compare as compare_charts
from reports.charts import tables
from reports.charts.style import SERIES_STYLE
from reports.compare.selectors import COMPARE_COLUMNS

ENGLAND = "E92000001"


def frame(rows):
    return pd.DataFrame(
        [
            dict(
                series=series,
                code=code,
                order=order,
                role=role,
                source="official",
                period_kind="reporting_year",
                period_label=str(year),
                period_end=datetime.date(year, 9, 30),
                anchor=None,
                x=datetime.date(year, 9, 30),
                value=value,
                symbol="" if value is not None else "x",
                observation_id=None,
            )
            for series, code, order, role, year, value in rows
        ],
        columns=COMPARE_COLUMNS,
    )


@pytest.fixture
def three_lines():
    return frame(
        [
            ("Wakefield", "E08000036", 0, "focus", 2017, 5.5),
            ("Wakefield", "E08000036", 0, "focus", 2018, 28.7),
            ("Wakefield", "E08000036", 0, "focus", 2019, 32.0),
            ("Barnsley", "E08000016", 1, "other", 2017, 10.0),
            ("Barnsley", "E08000016", 1, "other", 2018, None),
            ("Barnsley", "E08000016", 1, "other", 2019, 12.0),
            ("England", ENGLAND, 2, "england", 2017, 15.8),
            ("England", ENGLAND, 2, "england", 2019, 15.5),
        ]
    )


def test_compare_figure_emphasises_the_focus_and_labels_every_line(three_lines):
    figure = compare_charts.compare_figure(three_lines, title="Agency", unit="percent", decimals=1)
    go.Figure(figure.to_dict())  # valid plotly: raises on any unknown property
    traces = {trace.name: trace for trace in figure.data}
    assert [trace.name for trace in figure.data] == ["England", "Barnsley", "Wakefield"]
    assert traces["Wakefield"].line.width == SERIES_STYLE["focus"]["width"]
    assert traces["Wakefield"].line.color == SERIES_STYLE["focus"]["color"]
    assert traces["Barnsley"].line.color == SERIES_STYLE["other"]["color"]
    assert traces["England"].line.dash == SERIES_STYLE["england"]["dash"]
    assert list(traces["Barnsley"].y) == [10.0, None, 12.0]
    labels = {a.text: a for a in figure.layout.annotations}
    assert set(labels) == {"Wakefield", "Barnsley", "England"}
    assert labels["Wakefield"].y == 32.0
    assert labels["Wakefield"].font.weight == "bold" and labels["Barnsley"].font.weight == "normal"
    assert figure.layout.showlegend is False


def test_compare_figure_on_years_since_the_anchor(three_lines):
    aligned = three_lines[three_lines["role"] != "england"].copy()
    aligned["x"] = [-1.1, -0.1, 0.9, 0.5, 1.5, 2.5]
    figure = compare_charts.compare_figure(
        aligned,
        title="Agency",
        unit="percent",
        decimals=1,
        axis_title="Years since first Inadequate judgement",
    )
    go.Figure(figure.to_dict())
    assert figure.layout.xaxis.title.text == "Years since first Inadequate judgement"
    assert figure.layout.xaxis.type == "linear"
    assert list(figure.data[-1].x) == [-1.1, -0.1, 0.9]


def test_empty_comparison_says_why():
    figure = compare_charts.compare_figure(frame([]), title="x", unit="percent", decimals=1)
    assert figure.layout.annotations[0].text == compare_charts.EMPTY_MESSAGE


def test_describe_compare_from_the_data(three_lines):
    text = compare_charts.describe_compare(
        three_lines, indicator_name="Agency social workers (FTE %)", unit="percent", decimals=1
    )
    assert text == (
        "Line chart of agency social workers (FTE %) for 2 authorities, 2017 to 2019 with "
        "England for reference. Wakefield (emphasised) rose from 5.5% in 2017 to 32.0% in "
        "2019. In 2019, the highest of the 2 with a figure was Wakefield (32.0%) and the lowest "
        "Barnsley (12.0%). England: 15.5% in 2019."
    )


def test_compare_table_one_row_per_period_symbols_kept(three_lines):
    table = tables.compare_table(three_lines)
    assert list(table.columns) == ["Period", "Period end", "Wakefield", "Barnsley", "England"]
    row = table.values.tolist()[1]
    assert row[:4] == ["2018", datetime.date(2018, 9, 30), 28.7, "x"]
    assert pd.isna(row[4])  # England has no figure for 2018


def test_neighbours_figure_shares_axes_and_titles_each_panel(three_lines):
    figure = compare_charts.neighbours_figure(
        three_lines, title="Agency", unit="percent", decimals=1, columns=3
    )
    go.Figure(figure.to_dict())
    titles = [(a.text, a.font.weight) for a in figure.layout.annotations]
    assert titles == [("Wakefield", "bold"), ("Barnsley", "normal")]
    layout = figure.to_dict()["layout"]
    y_ranges = {tuple(v["range"]) for k, v in layout.items() if k.startswith("yaxis")}
    x_ranges = {tuple(v["range"]) for k, v in layout.items() if k.startswith("xaxis")}
    assert y_ranges == {(0.0, 32.0 * 1.08)}
    assert x_ranges == {("2017-09-30", "2019-09-30")}
    # England drawn in every panel, under the panel's own line.
    assert [t.name for t in figure.data] == ["England", "Wakefield", "England", "Barnsley"]
    assert {t.xaxis for t in figure.data} == {"x", "x2"}
