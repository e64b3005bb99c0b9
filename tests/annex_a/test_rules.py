"""Each measure's counting rule, on small hand-made workbooks."""

import datetime as dt

import pytest

from indicators.annex_a import (
    HAND_ENTERED,
    MEASURES,
    RULES_VERSION,
    IssueKind,
    Status,
    Timescales,
    compute_months,
)
from indicators.annex_a.rules import MEASURES_BY_CODE
from indicators.catalogue import CATALOGUE

from .builders import contacts_through, read

D = dt.date
JAN, FEB, MAR = D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)
Q1 = (D(2024, 1, 1), D(2024, 3, 31))


def compute(period=Q1, timescales=None, **lists):
    options = {"period": period}
    if timescales is not None:
        options["timescales"] = timescales
    return compute_months(read(**lists), **options)


def shown(result, code, month):
    figure = result.figure(code, month)
    assert figure.status is Status.COMPUTED, figure.reason
    return figure.value, figure.numerator, figure.denominator


def contact(child, day, source="Police"):
    return [child, "Male", None, day, source]


# --- contacts and referrals --------------------------------------------------------------------


def test_contacts_are_counted_in_the_month_of_their_date():
    result = compute(
        list1=[
            contact("C1", D(2024, 1, 31)),
            contact("C1", D(2024, 2, 1)),
            contact("C1", D(2024, 2, 1)),  # the same row again: counted once
            contact("C2", D(2024, 2, 29)),
            contact("C2", D(2024, 2, 29), "School"),  # a second contact that day: counted
            contact("C3", D(2024, 3, 31)),
        ]
    )
    assert [result.figure("contacts", m).value for m in (JAN, FEB, MAR)] == [1, 3, 1]
    assert result.figure("contacts", FEB).rows_used == 3


def test_referrals_count_each_referral_of_a_child():
    rows = [
        ["R1", None, D(2024, 2, 2), "No", 1, "T", "W"],
        ["R1", None, D(2024, 2, 20), "No", 2, "T", "W"],
        ["R2", None, D(2024, 3, 1), "No", 1, "T", "W"],
    ]
    result = compute(list3=rows)
    assert [result.figure("referrals", m).value for m in (JAN, FEB, MAR)] == [0, 2, 1]


def test_rereferrals_from_the_count_column_or_an_earlier_referral_in_the_list():
    rows = [
        ["A", None, D(2024, 1, 10), "No", 1, "T", "W"],
        ["A", None, D(2024, 2, 15), "No", 1, "T", "W"],  # the list shows January's referral
        ["B", None, D(2024, 2, 20), "No", 3, "T", "W"],  # the count says so
        ["C", None, D(2024, 2, 21), "No", None, "T", "W"],  # no count and nothing earlier
        ["D", None, D(2023, 1, 5), "No", 1, "T", "W"],  # more than 12 months before
        ["D", None, D(2024, 2, 22), "No", 1, "T", "W"],
        ["E", None, D(2024, 3, 5), "No", "2", "T", "W"],
    ]
    result = compute(list3=rows)
    assert shown(result, "rereferrals_12m_pct", JAN) == (0.0, 0, 1)
    value, numerator, denominator = shown(result, "rereferrals_12m_pct", FEB)
    assert (numerator, denominator) == (2, 3)
    assert value == pytest.approx(66.667, abs=0.001)
    assert result.figure("rereferrals_12m_pct", FEB).notes == (
        "1 referral left out: no count of earlier referrals and none in the list.",
    )
    assert shown(result, "rereferrals_12m_pct", MAR) == (100.0, 1, 1)


# --- assessments, enquiries and conferences ----------------------------------------------------


def test_assessments_within_45_working_days_leave_bank_holidays_out():
    june = D(2025, 6, 1)
    rows = [
        # 10 April to 18 June 2025 is 45 working days: Good Friday, Easter Monday and the two
        # May bank holidays fall inside. Counting weekdays alone would make it 49.
        ["A1", D(2025, 4, 10), D(2025, 6, 18), "T", "W"],
        ["A2", D(2025, 4, 10), D(2025, 6, 19), "T", "W"],  # 46 working days
        ["A3", D(2025, 4, 9), D(2025, 6, 18), "T", "W"],  # 46 working days
        ["A4", D(2025, 5, 1), D(2025, 5, 31), "T", "W"],  # authorised in May
        ["A5", D(2025, 6, 2), None, "T", "W"],  # still open
    ]
    result = compute(period=(D(2025, 5, 1), D(2025, 6, 30)), list4=rows)
    _value, numerator, denominator = shown(result, "assessments_45wd_pct", june)
    assert (numerator, denominator) == (1, 3)
    assert shown(result, "assessments_45wd_pct", D(2025, 5, 1)) == (100.0, 1, 1)


def test_section_47_enquiries_and_conferences_within_15_working_days():
    dec, jan = D(2024, 12, 1), D(2025, 1, 1)
    rows = [
        # 13 December 2024 to 8 January 2025 is 15 working days over Christmas and New Year.
        ["S1", D(2024, 12, 13), D(2025, 1, 8)],
        ["S2", D(2024, 12, 13), D(2025, 1, 9)],  # 16
        ["S3", D(2025, 1, 2), D(2025, 1, 20)],  # 12
        ["S4", D(2025, 1, 20), None],  # no conference (yet)
    ]
    result = compute(period=(D(2024, 12, 1), D(2025, 1, 31)), list5=rows)
    assert result.figure("s47_enquiries", dec).value == 2
    assert result.figure("s47_enquiries", jan).value == 2
    assert result.figure("icpc_15wd_pct", dec).status is Status.NO_CASES
    assert shown(result, "icpc_15wd_pct", jan)[1:] == (2, 3)


# --- child protection --------------------------------------------------------------------------


def plan(child, start, visit=None, end=None, previous=0, team="T", worker="W"):
    return [child, start, visit, end, previous, team, worker]


def test_children_on_a_plan_at_month_end():
    rows = [
        plan("P1", D(2023, 6, 1)),
        plan("P2", D(2024, 1, 31)),  # starts on the month's last day: counted
        plan("P3", D(2023, 1, 1), end=D(2024, 1, 31)),  # ends on it: not counted
        plan("P4", D(2023, 1, 1), end=D(2024, 2, 1)),  # ends the day after: counted
        plan("P5", D(2023, 1, 1), end=D(2023, 6, 1)),  # a child with an earlier plan ...
        plan("P5", D(2024, 2, 10), previous=None),  # ... and a new one: counted once
        plan("P6", D(2024, 3, 1), previous="1"),
        plan("P6", D(2024, 3, 1), previous="1"),  # the same row again
    ]
    result = compute(list7=rows)
    assert [result.figure("cp_plans", m).value for m in (JAN, FEB, MAR)] == [3, 3, 4]
    # Repeat plans among plans started: P2 a first plan; P5's second shown by the list; P6's
    # by its count of previous plans.
    assert shown(result, "cp_plans_repeat_pct", JAN) == (0.0, 0, 1)
    assert shown(result, "cp_plans_repeat_pct", FEB) == (100.0, 1, 1)
    assert shown(result, "cp_plans_repeat_pct", MAR) == (100.0, 1, 1)


def test_plan_visits_within_timescale_at_the_end_of_the_workbook():
    rows = [
        plan("P1", D(2023, 6, 1), visit=D(2024, 3, 15)),  # 9 working days before 31 March
        # 10 working days (Good Friday does not count; counting weekdays would make it 11).
        plan("P2", D(2023, 6, 1), visit=D(2024, 3, 14)),
        plan("P3", D(2023, 6, 1), visit=D(2024, 3, 13)),  # 11: late
        plan("P4", D(2024, 3, 1)),  # never visited, plan a month old: late
        plan("P5", D(2024, 3, 25)),  # plan 3 working days old: not due yet, so in time
        plan("P6", D(2023, 6, 1), visit=D(2024, 2, 1), end=D(2024, 2, 10)),  # ended
    ]
    result = compute(list7=rows)
    assert shown(result, "cp_visits_in_time_pct", MAR) == (60.0, 3, 5)
    february = result.figure("cp_visits_in_time_pct", FEB)
    assert february.status is Status.NOT_COMPUTABLE
    assert "latest visit" in february.reason
    assert "3 of the 3 children on a plan at the end of February 2024" in february.reason


def test_local_timescales_change_what_counts_as_in_time():
    rows = [
        plan("P1", D(2023, 6, 1), visit=D(2024, 3, 15)),
        plan("P2", D(2023, 6, 1), visit=D(2024, 3, 25)),
    ]
    usual = compute(list7=rows)
    strict = compute(list7=rows, timescales=Timescales(cp_visit_working_days=5))
    assert shown(usual, "cp_visits_in_time_pct", MAR)[1:] == (2, 2)
    assert shown(strict, "cp_visits_in_time_pct", MAR)[1:] == (1, 2)
    assert "5 working days" in MEASURES_BY_CODE["cp_visits_in_time_pct"].describe(
        Timescales(cp_visit_working_days=5)
    )


# --- children looked after ---------------------------------------------------------------------


def care(child, start, review=None, visit=None, ceased=None, team="T", worker="W"):
    return [child, start, review, visit, ceased, team, worker]


def test_children_looked_after_and_their_visits():
    rows = [
        care("L1", D(2020, 1, 1), visit=D(2024, 2, 18)),  # 42 days before 31 March: in time
        care("L2", D(2024, 3, 31)),  # started on the last day: not due
        care("L3", D(2020, 1, 1), visit=D(2024, 3, 1), ceased=D(2024, 3, 31)),
        care("L4", D(2022, 1, 1), visit=D(2022, 12, 1), ceased=D(2023, 1, 1)),  # an earlier period
        care("L4", D(2024, 2, 1), visit=D(2024, 3, 30)),
        care("L5", D(2020, 1, 1), visit=D(2024, 2, 17)),  # 43 days: late
        care("L6", D(2024, 3, 20)),  # 11 days in care, never visited: late
    ]
    result = compute(list8=rows)
    assert result.figure("cla", MAR).value == 5  # L1, L2, L4 once, L5, L6
    assert result.figure("cla", FEB).value == 4  # L1, L3, L4, L5
    assert shown(result, "cla_visits_in_time_pct", MAR) == (60.0, 3, 5)


def test_reviews_of_children_looked_after():
    rows = [
        care("R1", D(2020, 1, 1), review=D(2023, 10, 1)),  # in date until 1 April
        care("R2", D(2020, 1, 1), review=D(2023, 9, 30)),  # lapsed on 30 March
        care("R3", D(2024, 1, 2), review=D(2024, 1, 25)),  # a first review: 3 months
        care("R4", D(2023, 11, 1), review=D(2023, 11, 20)),  # a first review, lapsed 20 Feb
        care("R5", D(2024, 3, 20)),  # first review not yet due: not counted
        care("R6", D(2024, 2, 1)),  # first review overdue
        care("R7", D(2024, 2, 1), review=D(2023, 12, 1)),  # a review before this period
    ]
    result = compute(list8=rows)
    _value, numerator, denominator = shown(result, "cla_reviews_in_time_pct", MAR)
    assert (numerator, denominator) == (2, 6)
    assert shown(result, "cla_reviews_in_time_pct", FEB) == (75.0, 3, 4)
    assert shown(result, "cla_reviews_in_time_pct", JAN) == (100.0, 4, 4)


# --- care leavers, allocation ------------------------------------------------------------------


def test_care_leavers_in_touch_in_education_and_suitably_housed():
    rows = [
        ["CL1", "LC", "W", "Yes", "Suitable", "F1: Full time in higher education"],
        [
            "CL2",
            "LC",
            "W",
            "a) Yes",
            "b) Unsuitable",
            "G5: Not in education, employment or training",
        ],
        ["CL3", "LC", "W", "No", "Suitable", "F2"],  # not in touch
        ["CL4", "LC", "W", "NREQ", "Suitable", "F2"],  # no longer requires services
        ["CL5", "LC", "W", "Yes", None, None],  # in touch, nothing recorded
        ["CL6", "LC", "W", "Y", "Unsuitable", "P5: Part time in training or employment"],
    ]
    result = compute(list1=contacts_through(*Q1), list9=rows)
    assert shown(result, "care_leavers_eet_pct", MAR) == (50.0, 2, 4)
    assert shown(result, "care_leavers_accom_pct", MAR) == (25.0, 1, 4)
    assert result.figure("care_leavers_eet_pct", MAR).notes == (
        "1 care leaver in touch with nothing recorded, counted as not known to be.",
    )
    january = result.figure("care_leavers_eet_pct", JAN)
    assert january.status is Status.NOT_COMPUTABLE
    assert "31 March 2024" in january.reason and "March 2024 alone" in january.reason


def cin(child, start, closure=None, team="A", worker="Ana Bel"):
    return [child, start, closure, team, worker]


def test_unallocated_cases_and_children_per_worker_across_the_lists():
    result = compute(
        list6=[
            cin("K1", D(2023, 1, 1)),
            cin("K2", D(2023, 1, 1), worker=None),  # named in list 8 instead
            cin("K3", D(2023, 1, 1), worker="Unallocated"),
            cin("K4", D(2023, 1, 1), closure=D(2024, 2, 1), worker=None),  # closed
            cin("K5", D(2023, 1, 1), worker="ANA  BEL"),  # the same worker
        ],
        list7=[plan("K7", D(2024, 1, 5), worker=None)],  # open through list 7 only
        list8=[care("K2", D(2023, 5, 1), worker="Cy Dun")],
    )
    assert result.figure("unallocated_cases", MAR).value == 2  # K3 and K7
    assert shown(result, "children_per_allocated_worker", MAR) == (1.5, 3, 2)
    assert result.figure("unallocated_cases", FEB).status is Status.NOT_COMPUTABLE


# --- what cannot be computed -------------------------------------------------------------------


def test_a_missing_list_makes_its_measures_not_computable_and_says_so():
    result = compute(list1=contacts_through(*Q1))
    eet = result.figure("care_leavers_eet_pct", MAR)
    assert eet.status is Status.NOT_COMPUTABLE
    assert (
        eet.reason == "List 9 (care leavers) is not in the workbook, or none of it could be read."
    )
    [missing] = [
        i for i in result.quality.issues if i.kind is IssueKind.MISSING_LIST and i.list_number == 9
    ]
    assert set(missing.measures) == {"care_leavers_eet_pct", "care_leavers_accom_pct"}
    assert set(missing.stops) == {"care_leavers_eet_pct", "care_leavers_accom_pct"}
    assert result.figure("contacts", MAR).status is Status.COMPUTED


def test_a_missing_column_stops_only_the_measures_that_need_it():
    from .builders import xlsx

    data = xlsx({"List 3": [["Child Unique ID", "Date of Referral"], ["R1", D(2024, 2, 2)]]})
    from indicators.annex_a import read_workbook

    result = compute_months(read_workbook(data), period=Q1)
    assert result.figure("referrals", FEB).value == 1
    stopped = result.figure("rereferrals_12m_pct", FEB)
    assert stopped.status is Status.NOT_COMPUTABLE
    assert "“Number of Referrals in Last 12 Months”" in stopped.reason
    [issue] = [i for i in result.quality.issues if i.kind is IssueKind.MISSING_COLUMN]
    assert issue.measures == issue.stops == ("rereferrals_12m_pct",)


def test_too_many_unreadable_values_stop_a_measure_a_few_are_left_out():
    good = [contact(f"C{i}", D(2024, 2, 1 + i)) for i in range(24)]
    few = compute(list1=[*good, contact("X", "not a date")])  # 1 in 25: 4%
    assert few.figure("contacts", FEB).value == 24
    assert few.figure("contacts", FEB).notes == (
        "1 row of List 1 (contacts) left out: a value this measure needs could not be read "
        "(see the data quality report).",
    )
    [unreadable] = [i for i in few.quality.issues if i.kind is IssueKind.UNREADABLE_DATE]
    assert (unreadable.measures, unreadable.stops) == (("contacts",), ())
    many = compute(list1=[*good[:18], contact("X", "soon"), contact("Y", "#N/A")])  # 10%
    stopped = many.figure("contacts", FEB)
    assert stopped.status is Status.NOT_COMPUTABLE
    assert "2 of 20 rows (10%)" in stopped.reason
    stops = {i.kind: i.stops for i in many.quality.issues if i.list_number == 1}
    assert stops[IssueKind.UNREADABLE_DATE] == stops[IssueKind.ERROR_VALUE] == ("contacts",)


def test_a_list_with_a_header_and_no_rows_counts_nothing():
    result = compute(list1=contacts_through(*Q1), list5=[])
    assert [result.figure("s47_enquiries", m).value for m in (JAN, FEB, MAR)] == [0, 0, 0]
    assert result.figure("icpc_15wd_pct", MAR).status is Status.NO_CASES


# --- the period --------------------------------------------------------------------------------


def test_the_period_is_worked_out_from_the_lists_round_bank_holidays():
    # 1 January is a bank holiday and 29 March 2024 Good Friday: a workbook whose contacts run
    # from 2 January to 28 March covers all three months.
    result = compute(period=None, list1=contacts_through(D(2024, 1, 2), D(2024, 3, 28)))
    assert (result.period.start, result.period.end) == Q1
    assert result.period.inferred
    assert result.months == (JAN, FEB, MAR)
    assert result.period.snapshot_month == MAR


def test_a_stray_date_does_not_stretch_the_period():
    rows = [*contacts_through(D(2024, 1, 2), D(2024, 3, 28)), contact("Typo", D(2014, 2, 3))]
    result = compute(period=None, list1=rows)
    assert result.months == (JAN, FEB, MAR)
    [outside] = [i for i in result.quality.issues if i.kind is IssueKind.OUTSIDE_PERIOD]
    assert outside.rows == (4,)
    assert outside.measures == ("contacts",)


def test_part_months_are_not_computed():
    result = compute(period=None, list1=contacts_through(D(2024, 1, 3), D(2024, 3, 27)))
    assert result.months == (FEB,)
    unallocated = result.figure("care_leavers_eet_pct", FEB)
    assert "not the last day of a month" in unallocated.reason or "not in the workbook" in (
        unallocated.reason
    )
    assert result.period.snapshot_month is None


def test_no_period_no_months_and_a_plain_reason():
    result = compute(period=None, list7=[plan("P1", D(2024, 1, 1))])
    assert result.figures == ()
    assert "Give the period" in result.problem
    short = compute(period=(D(2024, 1, 5), D(2024, 1, 20)), list7=[plan("P1", D(2024, 1, 1))])
    assert short.figures == ()
    assert "no whole calendar month" in short.problem


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="end must not be before its start"):
        compute(period=(D(2024, 3, 1), D(2024, 1, 1)), list1=contacts_through(*Q1))


# --- the rules as data -------------------------------------------------------------------------


def test_every_figure_says_which_rules_computed_it_and_every_month_has_every_measure():
    result = compute(list1=contacts_through(*Q1))
    assert {f.rules_version for f in result.figures} == {RULES_VERSION}
    assert len(result.figures) == len(MEASURES) * 3


def test_measures_use_the_catalogue_codes_and_say_how_they_are_counted():
    codes = {entry["code"] for entry in CATALOGUE}
    for measure in MEASURES:
        assert (measure.code in codes) is measure.in_catalogue, measure.code
        text = measure.describe()
        assert len(text) > 80 and "{" not in text
    assert [m.code for m in MEASURES if not m.in_catalogue] == ["children_per_allocated_worker"]
    assert set(HAND_ENTERED) <= codes


def test_timescales_must_be_sensible():
    with pytest.raises(ValueError, match="cla_visit_days"):
        Timescales(cla_visit_days=0)
    assert Timescales().described()[0] == (
        "Child protection visits",
        "at least every 10 working days",
    )
