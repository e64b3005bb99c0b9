"""Team figures per month: counts by team, caseloads, and worker names kept apart."""

import datetime as dt
import json

from indicators.annex_a import compute_teams

from .builders import read

D = dt.date
Q1 = (D(2024, 1, 1), D(2024, 3, 31))
FEB, MAR = D(2024, 2, 1), D(2024, 3, 1)


def annex():
    return read(
        list4=[
            ["A1", D(2024, 2, 1), D(2024, 3, 5), "Team A", "Ana Bel"],  # 23 working days
            ["A2", D(2023, 12, 1), D(2024, 3, 5), "Team B", "Cy Dun"],  # late
        ],
        list6=[
            ["K1", D(2023, 1, 1), None, "Team A", "Ana Bel"],
            ["K2", D(2023, 1, 1), None, " team  a", "ANA BEL "],  # the same team and worker
            ["K3", D(2023, 1, 1), None, "Team A", "Unallocated"],
            ["K4", D(2023, 1, 1), None, "Team B", "Cy Dun"],
            ["K9", D(2023, 1, 1), D(2024, 2, 1), "Team B", None],  # closed in February
        ],
        list7=[["K4", D(2023, 6, 1), D(2024, 3, 25), None, 0, "Team B", "Cy Dun"]],
        list8=[["K5", D(2020, 1, 1), D(2024, 1, 1), D(2024, 3, 1), None, "Team C", "Di Eve"]],
        list9=[["CL1", "Leaving Care", "Pat Ode", "Yes", "Suitable", "F1"]],
    )


def test_counts_per_team_and_month_with_zeros_where_the_team_had_none():
    result = compute_teams(annex(), period=Q1, caseload_threshold=1)
    march = {row.team: row for row in result.for_month(MAR)}
    assert sorted(march) == ["Leaving Care", "Team A", "Team B", "Team C"]
    a, b, c = march["Team A"], march["Team B"], march["Team C"]
    assert (a.open_cin, a.on_plan, a.looked_after, a.care_leavers) == (3, 0, 0, 0)
    assert (b.open_cin, b.on_plan) == (1, 1)
    assert (c.looked_after, c.cla_visits_counted, c.cla_visits_in_time) == (1, 1, 1)
    assert (b.cp_visits_counted, b.cp_visits_in_time) == (1, 1)
    assert march["Leaving Care"].care_leavers == 1
    assert (a.assessments, a.assessments_in_time) == (1, 1)
    assert (b.assessments, b.assessments_in_time) == (1, 0)
    january = {row.team: row for row in result.for_month(D(2024, 1, 1))}
    assert january["Team B"].open_cin == 2  # K9 was still open at the end of January
    assert {row.team: row for row in result.for_month(FEB)}["Team B"].open_cin == 1


def test_caseloads_for_the_month_the_workbook_ends():
    result = compute_teams(annex(), period=Q1, caseload_threshold=1)
    assert result.allocation_month == MAR
    march = {row.team: row for row in result.for_month(MAR)}
    a = march["Team A"]
    assert (a.unallocated, a.allocated_children, a.workers) == (1, 2, 1)
    assert (a.children_per_worker_median, a.children_per_worker_max) == (2.0, 2)
    assert a.workers_over_threshold == 1
    assert march["Team B"].workers_over_threshold == 0
    assert march["Team C"].allocated_children == 1  # open through list 8 alone
    assert march["Leaving Care"].workers == 0  # personal advisers are not counted as workers
    february = {row.team: row for row in result.for_month(FEB)}
    assert february["Team A"].unallocated is None  # allocation is known only as at 31 March
    assert february["Leaving Care"].care_leavers is None
    assert next(row.team for row in result.exceptions(MAR)) == "Team A"


def test_worker_names_only_in_the_uploaders_list():
    result = compute_teams(annex(), period=Q1, caseload_threshold=1)
    assert [(w.team, w.worker, w.children, w.over_threshold) for w in result.workers] == [
        ("Team A", "Ana Bel", 2, True),
        ("Team B", "Cy Dun", 1, False),
        ("Team C", "Di Eve", 1, False),
    ]
    text = json.dumps([row.as_dict() for row in result.rows])
    for secret in ("Ana", "Bel", "Cy Dun", "Di Eve", "Pat Ode", "K1", "K4", "CL1"):
        assert secret.casefold() not in text.casefold()


def test_the_threshold_is_the_authoritys_milestone():
    result = compute_teams(annex(), period=Q1)
    assert result.threshold == 20
    assert all(not w.over_threshold for w in result.workers)
