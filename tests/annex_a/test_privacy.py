"""Nothing about a single child leaves the engine; worker names only where the uploader sees
them."""

import dataclasses
import datetime as dt
import json

from indicators.annex_a import analyse
from indicators.annex_a.fictional import build

from .builders import lists

D = dt.date


def everything_but_workers(analysis) -> str:
    """All the engine returns that may be stored or shown beyond the uploader's own page."""
    monthly = analysis.monthly.as_dict()
    teams = [row.as_dict() for row in analysis.teams.rows]
    return json.dumps([monthly, teams, analysis.sha256, analysis.rows_read], default=str)


def test_a_messy_damaged_workbook_leaves_no_child_or_worker_in_the_results():
    workbook = build(seed=9, months=3, contacts_per_month=80, messy=True, damaged=True)
    analysis = analyse(workbook.data)
    text = everything_but_workers(analysis)
    assert "FICT-" not in text
    for name in workbook.worker_names:
        assert name not in text
    assert analysis.teams.workers  # the uploader's page does get them
    assert {w.worker for w in analysis.teams.workers} <= set(workbook.worker_names)
    # The results hold nothing but these fields: no list, row or frame rides along.
    assert [f.name for f in dataclasses.fields(analysis)] == [
        "sha256",
        "rows_read",
        "monthly",
        "teams",
    ]


def test_identifiers_dates_of_birth_and_names_never_reach_figures_or_the_quality_report():
    born = D(2011, 2, 13)
    data = lists(
        list1=[
            ["ZQ-CHILD-77", "Female", born, D(2024, 1, 2), "Police"],
            ["ZQ-CHILD-78", "Male", "13/02/2011", "not a date", "Police"],
            ["ZQ-CHILD-79", "Male", born, D(2024, 3, 28), "Police"],
        ],
        list6=[["ZQ-CHILD-77", D(2023, 1, 1), None, "North", "Quillon Varrick"]],
        list9=[["ZQ-CHILD-80", "North", "Zebedee Orm", "Yes", "nonsense", "nonsense"]],
    )
    analysis = analyse(data)
    text = everything_but_workers(analysis)
    for secret in (
        "ZQ-CHILD",
        "2011-02-13",
        "13/02/2011",
        "Quillon",
        "Varrick",
        "Zebedee",
        "nonsense",
        "not a date",
    ):
        assert secret not in text
    assert analysis.quality.problems  # there was plenty to report, by row number
