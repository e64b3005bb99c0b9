"""The board pack's small charts: SVG text from hand-made data, with no database."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from reports.charts import style as chart_style
from reports.packs import svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 28)


def caseload_chart(**changes) -> svg.SmallMultiple:
    values = {
        "name": "Line chart of average caseload, Wakefield: fell from 24 to 18.",
        "description": "Wakefield's yearly figures: a solid blue line with dots.",
        "unit": "number",
        "decimals": 1,
        "own": [
            svg.Point(day(2021, 3), 24.0, "2021"),
            svg.Point(day(2022, 3), 22.0, "2022"),
            svg.Point(day(2023, 3), None, "2023"),  # suppressed: a gap
            svg.Point(day(2024, 3), 18.0, "2024"),
        ],
        "england": [svg.Point(day(2021, 3), 17.0), svg.Point(day(2024, 3), 16.5)],
        "milestones": [svg.Point(datetime.date(2025, 3, 31), 15.0)],
        "inspections": [svg.Inspection(datetime.date(2022, 6, 1), "Inadequate")],
    }
    values.update(changes)
    return svg.SmallMultiple(**values)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)  # well-formed XML, or this fails


def test_a_chart_is_an_image_with_its_text_alternative_and_description():
    root = parse(svg.small_multiple(caseload_chart(), element_id="chart-3"))
    assert root.get("role") == "img"
    assert (
        root.get("aria-label") == "Line chart of average caseload, Wakefield: fell from 24 to 18."
    )
    assert root.get("aria-describedby") == "chart-3-desc"
    # <title> first: WeasyPrint takes the PDF figure's alternative text from it.
    assert root[0].tag == "{http://www.w3.org/2000/svg}title"
    assert root[0].text == root.get("aria-label")
    description = root.find("svg:desc", NS)
    assert description is not None and description.get("id") == "chart-3-desc"
    assert description.text == "Wakefield's yearly figures: a solid blue line with dots."
    assert root.get("viewBox") == f"0 0 {svg.WIDTH} {svg.HEIGHT}"


def test_it_draws_each_series_in_the_screen_charts_style():
    text = svg.small_multiple(caseload_chart(), element_id="c")
    style = chart_style.SERIES_STYLE
    root = parse(text)
    paths = root.findall("svg:path", NS)
    own = [p for p in paths if p.get("stroke") == style["authority"]["color"]]
    # The suppressed year breaks the authority's line in two: no line is drawn through it.
    assert len(own) == 2
    assert not own[0].get("stroke-dasharray")  # solid, as on screen
    england = [p for p in paths if p.get("stroke") == style["england"]["color"]]
    assert england and england[0].get("stroke-dasharray") == svg.DASHES["dashdot"]
    planned = [
        p
        for p in paths
        if p.get("stroke") == style["milestones"]["color"] and p.get("fill") == "none"
    ]
    # The planned line starts from the last actual figure before the first milestone.
    assert planned[0].get("d").count("L") == 1
    assert planned[0].get("stroke-dasharray") == svg.DASHES["longdash"]
    assert root.get("font-family") == chart_style.FONT


def test_inspections_are_upright_lines_labelled_with_their_grade():
    root = parse(svg.small_multiple(caseload_chart(), element_id="c"))
    lines = [
        line
        for line in root.findall("svg:line", NS)
        if line.get("stroke") == chart_style.INSPECTION_COLOUR
    ]
    assert len(lines) == 1
    assert lines[0].get("x1") == lines[0].get("x2")
    assert "Inadequate" in [t.text for t in root.findall("svg:text", NS)]


def test_an_inspection_outside_the_charts_years_is_not_drawn():
    chart = caseload_chart(inspections=[svg.Inspection(datetime.date(2009, 1, 1), "Good")])
    root = parse(svg.small_multiple(chart, element_id="c"))
    assert "Good" not in [t.text for t in root.findall("svg:text", NS)]


def test_the_axis_is_written_in_the_measures_unit_and_starts_at_zero():
    chart = caseload_chart(
        unit="percent",
        own=[svg.Point(day(2024, m), v, "") for m, v in ((3, 12.0), (8, 38.5))],
        england=[],
        milestones=[],
    )
    root = parse(svg.small_multiple(chart, element_id="c"))
    labels = [t.text for t in root.findall("svg:text", NS)]
    # Round steps from zero to above the highest figure, in the measure's unit.
    assert labels[:5] == ["0%", "10%", "20%", "30%", "40%"]
    # Less than a year shown, and no new year inside it: its first and last months instead.
    assert labels[5:] == ["Feb 2024", "Sep 2024"]


def test_text_from_the_data_is_escaped():
    hostile = 'Rise & fall <script>alert("x")</script>'
    chart = caseload_chart(
        name=hostile,
        description="<b>bold</b> & more",
        inspections=[svg.Inspection(datetime.date(2022, 6, 1), "<img src=x>")],
    )
    text = svg.small_multiple(chart, element_id='c" onload="x')
    assert "<script>" not in text and "<b>" not in text and "<img" not in text
    root = parse(text)  # still well-formed
    assert root.get("aria-label") == hostile
    assert root.find("svg:title", NS).text == hostile
    assert root.get("id") == 'c" onload="x'  # one attribute value, not a new attribute
    assert root.get("onload") is None


def test_a_chart_with_no_figure_says_so():
    chart = caseload_chart(
        name="No figures for this measure.",
        own=[svg.Point(day(2024, 3), None, "2024")],
        england=[svg.Point(day(2024, 3), 10.0)],
    )
    root = parse(svg.small_multiple(chart, element_id="c"))
    assert [t.text for t in root.findall("svg:text", NS)] == ["No figures to draw"]
    assert root.findall("svg:path", NS) == []
    assert root.get("role") == "img" and root.get("aria-label") == "No figures for this measure."


def test_one_figure_alone_still_draws():
    chart = caseload_chart(own=[svg.Point(day(2024, 3), 0.0, "2024")], england=[], milestones=[])
    root = parse(svg.small_multiple(chart, element_id="c"))
    markers = [c for c in root.findall("svg:circle", NS)]
    assert len(markers) == 1  # the one figure, marked
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert labels[:5] == ["0.00", "0.25", "0.50", "0.75", "1.00"]  # exact labels


def test_a_long_monthly_series_marks_only_its_latest_point():
    months = [
        svg.Point(datetime.date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 28), 100.0 + m, "")
        for m in range(1, 25)
    ]
    chart = caseload_chart(own=months, own_role="authority_monthly", england=[], milestones=[])
    root = parse(svg.small_multiple(chart, element_id="c"))
    colour = chart_style.SERIES_STYLE["authority_monthly"]["color"]
    marked = [c for c in root.findall("svg:circle", NS) if c.get("stroke") == colour]
    assert len(marked) == 1
    assert float(marked[0].get("cx")) == max(
        float(c.get("cx")) for c in root.findall("svg:circle", NS)
    )


def test_the_key_is_one_image_that_says_what_each_line_stands_for():
    root = parse(svg.key(element_id="key"))
    assert root.get("role") == "img"
    name = root.get("aria-label")
    assert name == root.find("svg:title", NS).text
    assert name.startswith("Key to the charts: The authority, yearly figures, a solid dark blue")
    assert "England, a black dash-dot line with diamonds" in name
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert labels == [words for _, words, _ in svg.KEY]
