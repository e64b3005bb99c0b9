import datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from reports.authority.trajectory import POINT_COLUMNS
from reports.charts import style
from reports.charts import trajectory as charts


def point(series, role, label, end, value, symbol="", kind="reporting_year", note=""):
    return dict(
        series=series,
        role=role,
        source="official",
        period_kind=kind,
        period_label=label,
        period_end=end,
        value=value,
        symbol=symbol,
        observation_id=None,
        note=note,
    )


@pytest.fixture
def wakefield_agency():
    # Wakefield's agency social worker rate and England's, as published (csww, FTE %).
    own = "Wakefield (annual, official statistics)"
    rows = [
        point(own, "authority", str(y), datetime.date(y, 9, 30), v)
        for y, v in [(2017, 5.5), (2018, 28.7), (2019, 32.0), (2021, 14.2), (2025, 15.2)]
    ]
    rows.append(point(own, "authority", "2020", datetime.date(2020, 9, 30), None, symbol="x"))
    rows.append(point("England", "england", "2025", datetime.date(2025, 9, 30), 13.0))
    rows.append(point("England", "england", "2017", datetime.date(2017, 9, 30), 15.8))
    return pd.DataFrame(rows, columns=POINT_COLUMNS).sort_values("period_end")


EMPTY_INSPECTIONS = pd.DataFrame(columns=["date", "start_date", "framework", "kind", "grade"])
EMPTY_EVENTS = pd.DataFrame(columns=["date", "category", "description"])
EMPTY_MILESTONES = pd.DataFrame(columns=["due_date", "value", "note"])


def build(
    points,
    inspections=EMPTY_INSPECTIONS,
    events=EMPTY_EVENTS,
    milestones=EMPTY_MILESTONES,
    show_events=True,
):
    return charts.trajectory_figure(
        points,
        inspections,
        events,
        milestones,
        title="Agency social workers",
        unit="percent",
        decimals=1,
        show_events=show_events,
    )


def test_one_trace_per_series_with_distinct_dashes(wakefield_agency):
    figure = build(wakefield_agency)
    names = [trace.name for trace in figure.data]
    assert names == ["Wakefield (annual, official statistics)", "England"]
    dashes = {trace.line.dash for trace in figure.data}
    assert len(dashes) == 2  # not colour alone
    assert figure.layout.yaxis.ticksuffix == "%"


def test_symbols_leave_gaps_not_zeros(wakefield_agency):
    figure = build(wakefield_agency)
    own = list(figure.data[0].y)
    assert own[3] is None or own[3] != own[3]  # the 2020 "x" is a gap (None/NaN), never 0
    assert 0 not in own


def test_inspections_are_written_on_the_time_axis(wakefield_agency):
    inspections = pd.DataFrame(
        [
            {
                "date": datetime.date(2018, 8, 7),
                "start_date": datetime.date(2018, 6, 11),
                "framework": "ILACS",
                "kind": "Full inspection",
                "grade": "Inadequate",
            },
            {
                "date": datetime.date(2022, 1, 12),
                "start_date": datetime.date(2021, 11, 8),
                "framework": "ILACS",
                "kind": "Full inspection",
                "grade": "Good",
            },
        ]
    )
    figure = build(wakefield_agency, inspections=inspections)
    texts = [a.text for a in figure.layout.annotations]
    assert texts == ["Ofsted: Inadequate", "Ofsted: Good"]
    assert len(figure.layout.shapes) == 2


def test_events_can_be_switched_off(wakefield_agency):
    events = pd.DataFrame(
        [
            {
                "date": datetime.date(2018, 9, 1),
                "category": "Intervention",
                "description": "Commissioner appointed",
            }
        ]
    )
    shown = build(wakefield_agency, events=events)
    hidden = build(wakefield_agency, events=events, show_events=False)
    assert any("Commissioner appointed" in (a.hovertext or "") for a in shown.layout.annotations)
    assert not any("Commissioner" in (a.hovertext or "") for a in hidden.layout.annotations)


def test_milestones_are_a_planned_line_from_the_last_actual(wakefield_agency):
    milestones = pd.DataFrame(
        [
            {"due_date": datetime.date(2026, 3, 31), "value": 12.0, "note": ""},
            {"due_date": datetime.date(2027, 3, 31), "value": 10.0, "note": ""},
        ]
    )
    figure = build(wakefield_agency, milestones=milestones)
    planned = next(t for t in figure.data if t.name == "Milestones (planned)")
    assert list(planned.y) == [15.2, 12.0, 10.0]


def test_empty_state_says_why():
    figure = build(pd.DataFrame(columns=POINT_COLUMNS))
    assert figure.data == ()
    assert "No figures" in figure.layout.annotations[0].text


def test_alt_text_tells_the_rise_and_fall(wakefield_agency):
    text = charts.describe_trajectory(
        wakefield_agency,
        indicator_name="Agency social workers",
        area_name="Wakefield",
        unit="percent",
        decimals=1,
    )
    assert text == (
        "Line chart of agency social workers, Wakefield, 2017 to 2025: rose from 5.5% in 2017 "
        "to 32.0% in 2019, then fell to 15.2% in 2025; England 13.0% in 2025."
    )


def test_alt_text_for_a_steady_rise():
    rows = [
        point("A (annual)", "authority", str(y), datetime.date(y, 3, 31), v)
        for y, v in [(2016, 60.0), (2017, 65.0), (2018, 71.0)]
    ]
    text = charts.describe_trajectory(
        pd.DataFrame(rows, columns=POINT_COLUMNS),
        indicator_name="Assessments",
        area_name="A",
        unit="percent",
        decimals=1,
    )
    assert (
        text
        == "Line chart of assessments, A, 2016 to 2018: rose from 60.0% in 2016 to 71.0% in 2018."
    )


def test_alt_text_keeps_the_capitals_of_acronyms(wakefield_agency):
    text = charts.describe_trajectory(
        wakefield_agency,
        indicator_name="Agency social workers (FTE %)",
        area_name="Wakefield",
        unit="percent",
        decimals=1,
    )
    assert text.startswith("Line chart of agency social workers (FTE %), Wakefield, 2017")


def test_names_and_descriptions_from_the_data_are_shown_as_written_not_as_markup():
    name = 'Vale <a href="https://example.org">& Dale</a>'
    rows = [
        point(name, "authority", str(y), datetime.date(y, 3, 31), v)
        for y, v in [(2016, 60.0), (2017, 65.0)]
    ]
    events = pd.DataFrame(
        [
            {
                "date": datetime.date(2016, 9, 1),
                "category": "Practice",
                "description": "caseloads <20",
            }
        ]
    )
    figure = build(pd.DataFrame(rows, columns=POINT_COLUMNS), events=events)
    escaped = 'Vale &lt;a href="https://example.org"&gt;&amp; Dale&lt;/a&gt;'
    assert figure.data[0].name == escaped
    assert figure.data[0].hovertemplate.startswith(escaped + "<br>")
    assert figure.layout.annotations[0].hovertext.endswith("Practice, caseloads &lt;20")


def test_table_has_a_row_per_period_and_keeps_symbols(wakefield_agency):
    table = charts.trajectory_table(wakefield_agency)
    assert list(table.columns) == [
        "Period",
        "Period end",
        "Wakefield (annual, official statistics)",
        "England",
    ]
    assert list(table["Period"]) == ["2017", "2018", "2019", "2020", "2021", "2025"]
    row_2020 = table[table["Period"] == "2020"].iloc[0]
    assert row_2020["Wakefield (annual, official statistics)"] == "x"
    assert table[table["Period"] == "2025"].iloc[0]["England"] == 13.0


def test_inspections_and_events_outside_the_figures_do_not_stretch_the_axis(wakefield_agency):
    inspections = pd.DataFrame(
        [
            {
                "date": datetime.date(2011, 3, 1),
                "start_date": datetime.date(2011, 1, 1),
                "framework": "SLAC",
                "kind": "Full inspection",
                "grade": "Adequate",
            }
        ]
    )
    events = pd.DataFrame(
        [{"date": datetime.date(1998, 4, 1), "category": "Context", "description": "Formed"}]
    )
    figure = build(wakefield_agency, inspections=inspections, events=events)
    assert figure.layout.annotations == ()
    start, end = figure.layout.xaxis.range
    assert pd.Timestamp(start).year == 2017 and pd.Timestamp(end).year == 2026


def test_the_figure_built_without_step_by_step_validation_is_valid_plotly(wakefield_agency):
    inspections = pd.DataFrame(
        [
            {
                "date": datetime.date(2018, 8, 7),
                "start_date": datetime.date(2018, 6, 11),
                "framework": "ILACS",
                "kind": "Full inspection",
                "grade": "Inadequate",
            }
        ]
    )
    events = pd.DataFrame(
        [{"date": datetime.date(2018, 9, 1), "category": "Intervention", "description": "X"}]
    )
    milestones = pd.DataFrame([{"due_date": datetime.date(2026, 3, 31), "value": 12.0, "note": ""}])
    figure = build(wakefield_agency, inspections=inspections, events=events, milestones=milestones)
    go.Figure(figure.to_dict())  # raises if any property is invalid
    go.Figure(style.empty_figure("Nothing").to_dict())


def test_monthly_counts_have_their_own_axis_beside_yearly_ones():
    rows = [
        point("A (annual)", "authority", str(y), datetime.date(y, 3, 31), v)
        for y, v in [(2024, 13000.0), (2025, 13400.0)]
    ]
    rows += [
        point(
            "A (monthly)",
            "authority",
            f"{m} 2025",
            datetime.date(2025, m, 28),
            1100.0,
            kind="month",
        )
        for m in (4, 5, 6)
    ]
    points = pd.DataFrame(rows, columns=POINT_COLUMNS)
    figure = charts.trajectory_figure(
        points,
        EMPTY_INSPECTIONS,
        EMPTY_EVENTS,
        EMPTY_MILESTONES,
        title="",
        unit="count",
        decimals=0,
    )
    axes = {trace.name: trace.yaxis for trace in figure.data}
    assert axes == {"A (annual)": "y", "A (monthly)": "y2"}
    assert figure.layout.yaxis2.side == "right" and figure.layout.yaxis2.overlaying == "y"
    assert "month" in figure.layout.yaxis2.title.text
    # A percentage, or counts of one kind only, share one axis.
    assert not charts.monthly_on_own_axis(points, "percent")
    assert not charts.monthly_on_own_axis(points[points["period_kind"] == "month"], "count")
