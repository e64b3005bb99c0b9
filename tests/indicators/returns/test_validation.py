"""The rules, on their own: pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from indicators.returns import validation
from indicators.returns.validation import Thresholds, check_entry, submission_problems


@dataclass
class Ind:
    code: str
    name: str
    unit: str
    entry: str
    numerator_label: str = ""
    denominator_label: str = ""
    decimals: int = 1


CONTACTS = Ind("contacts", "Contacts received", "count", "count", decimals=0)
ASSESSMENTS = Ind(
    "assessments_45wd_pct",
    "Assessments completed within 45 working days",
    "percent",
    "ratio",
    "Assessments completed within 45 working days",
    "Assessments completed",
)
AGENCY = Ind(
    "agency_sw_pct",
    "Agency social workers (FTE %)",
    "percent",
    "ratio",
    "Agency social workers (FTE)",
    "All social workers (FTE)",
)
CASELOAD = Ind(
    "avg_caseload",
    "Average caseload per case-holding social worker (FTE)",
    "number",
    "ratio",
    "Cases held",
    "Case-holding social workers (FTE)",
)


def messages(checked):
    return [problem.message for problem in checked.errors]


def test_a_whole_count_is_fine():
    checked = check_entry(CONTACTS, value="1,204")
    assert checked.ok and checked.value == 1204


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3", "Contacts received must be 0 or more"),
        ("12.5", "Contacts received must be a whole number"),
        ("twelve", "Contacts received must be a number"),
        ("NaN", "Contacts received must be a number"),
        ("10000001", "Contacts received must be 10,000,000 or less"),
        ("1e12", "Enter a whole number for Contacts received, like 120"),
    ],
)
def test_counts_are_whole_and_not_negative(text, message):
    checked = check_entry(CONTACTS, value=text)
    assert messages(checked) == [message]
    assert checked.errors[0].field == "value"


@pytest.mark.parametrize(
    "text", ["1e3", "1E3", "1_000", "\u0661\u0662", "\uff11\uff12\uff13", "+5", "12,5", "1,2,0,4"]
)
def test_a_count_is_a_plain_whole_number_not_a_form_python_can_read(text):
    """1e3 is not 1,000 to the person who typed it by mistake, nor are 1_000, +5, Arabic-Indic
    or full-width digits; 12,5 may be a decimal comma. Say so, and read nothing."""
    checked = check_entry(CONTACTS, value=text)
    assert messages(checked) == ["Enter a whole number for Contacts received, like 120"]
    assert checked.value is None and checked.errors[0].field == "value"


@pytest.mark.parametrize("text", ["0x10", " 0x10", "1/2", "\u216b", "12%"])
def test_what_is_not_a_number_at_all_says_so(text):
    assert messages(check_entry(CONTACTS, value=text)) == ["Contacts received must be a number"]


@pytest.mark.parametrize(("text", "number"), [("1,204", 1204), (" 42 ", 42), ("1200.0", 1200)])
def test_plain_counts_are_read(text, number):
    checked = check_entry(CONTACTS, value=text)
    assert checked.ok and checked.value == number


def test_a_part_that_may_have_decimals_is_still_written_plainly():
    checked = check_entry(AGENCY, numerator="2.25e1", denominator="150")
    assert messages(checked) == ["Enter a number for Agency social workers (FTE), like 12.5"]
    assert check_entry(AGENCY, numerator="22.5", denominator="1,500.25").ok


def test_blank_is_allowed_in_a_draft_but_not_on_submission():
    checked = check_entry(CONTACTS, value="  ")
    assert checked.ok and checked.is_blank
    problems = submission_problems(CONTACTS, checked)
    assert [p.message for p in problems] == ["Enter a figure for Contacts received"]


def test_percentage_is_worked_out_from_the_parts():
    checked = check_entry(ASSESSMENTS, numerator="250", denominator="280")
    assert checked.ok
    assert checked.value == pytest.approx(89.285714, abs=1e-5)


def test_numerator_above_denominator_says_what_and_where():
    checked = check_entry(ASSESSMENTS, numerator="300", denominator="280")
    # Named by the labels the person sees on the two fields, not "numerator for ...".
    assert messages(checked) == [
        "Assessments completed within 45 working days must not be more than assessments completed"
    ]
    assert checked.errors[0].field == "numerator"
    assert checked.value is None


def test_parts_that_are_counts_must_be_whole():
    checked = check_entry(ASSESSMENTS, numerator="25.5", denominator="280")
    assert messages(checked) == [
        "Assessments completed within 45 working days must be a whole number"
    ]


def test_fte_parts_may_be_decimal():
    checked = check_entry(AGENCY, numerator="22.5", denominator="150.25")
    assert checked.ok
    assert checked.value == pytest.approx(22.5 / 150.25 * 100, abs=1e-5)


def test_a_zero_denominator_is_refused():
    checked = check_entry(ASSESSMENTS, numerator="0", denominator="0")
    assert messages(checked) == ["Assessments completed must be more than 0"]
    assert checked.errors[0].field == "denominator"


def test_negative_parts_are_refused():
    checked = check_entry(ASSESSMENTS, numerator="-1", denominator="10")
    assert messages(checked) == ["Assessments completed within 45 working days must be 0 or more"]


def test_half_a_ratio_is_a_draft_not_a_submission():
    checked = check_entry(ASSESSMENTS, numerator="12")
    assert checked.ok and checked.value is None
    problems = submission_problems(ASSESSMENTS, checked)
    assert [(p.field, p.message) for p in problems] == [
        ("denominator", "Enter a figure for Assessments completed")
    ]


def test_caseload_is_cases_per_fte_and_not_a_percentage():
    checked = check_entry(CASELOAD, numerator="2100", denominator="110.5")
    assert checked.ok
    assert checked.value == pytest.approx(19.0045, abs=1e-3)  # cases above FTE is normal


@pytest.mark.parametrize(("cases", "fte"), [("6100", "100"), ("50", "100")])
def test_caseload_must_be_plausible(cases, fte):
    checked = check_entry(CASELOAD, numerator=cases, denominator=fte)
    assert len(checked.errors) == 1
    assert "must be between 1 and 60" in checked.errors[0].message
    assert checked.errors[0].message.startswith("Average caseload per case-holding social worker")


def test_caseload_bounds_come_from_the_thresholds():
    checked = check_entry(
        CASELOAD,
        numerator="6100",
        denominator="100",
        thresholds=Thresholds(caseload_min=1, caseload_max=70),
    )
    assert checked.ok


def test_cases_held_must_be_whole_but_fte_may_not_be():
    checked = check_entry(CASELOAD, numerator="2100.5", denominator="110.5")
    assert messages(checked) == ["Cases held must be a whole number"]


def test_a_large_relative_change_is_a_warning_not_an_error():
    checked = check_entry(CONTACTS, value="1300", previous=1000.0)
    assert checked.ok
    assert len(checked.warnings) == 1
    assert checked.warnings[0].message == (
        "Contacts received rose by 30% since last month (1,000 to 1,300). Check the figure, "
        "then explain the change in the box below this warning before the return is submitted."
    )
    assert checked.needs_explanation


def test_a_change_within_the_threshold_is_quiet():
    assert not check_entry(CONTACTS, value="1250", previous=1000.0).warnings
    assert not check_entry(CONTACTS, value="5", previous=0.0).warnings  # nothing to compare
    assert not check_entry(CONTACTS, value="5").warnings  # no previous month


def test_percentages_warn_on_percentage_points():
    # 60% last month; 71.4% now: 11.4 points, over the 10-point threshold.
    checked = check_entry(ASSESSMENTS, numerator="200", denominator="280", previous=60.0)
    assert "rose by 11.4 percentage points" in checked.warnings[0].message
    # 15% relative but only 9 points: no warning.
    assert not check_entry(ASSESSMENTS, numerator="193", denominator="280", previous=60.0).warnings


def test_the_threshold_is_configurable():
    loose = Thresholds(relative=0.5)
    assert not check_entry(CONTACTS, value="1300", previous=1000.0, thresholds=loose).warnings


def test_an_explained_warning_can_be_submitted():
    checked = check_entry(
        CONTACTS, value="1300", previous=1000.0, explanation="New front door team"
    )
    assert checked.warnings and not checked.needs_explanation
    assert submission_problems(CONTACTS, checked) == []


def test_an_unexplained_warning_cannot_be_submitted():
    checked = check_entry(CONTACTS, value="1300", previous=1000.0)
    problems = submission_problems(CONTACTS, checked)
    assert [(p.field, p.message) for p in problems] == [
        ("explanation", "Explain why Contacts received changed so much since last month")
    ]


def test_notes_are_optional_but_not_endless():
    assert check_entry(CONTACTS, value="1", internal_note="", published_note="").ok
    assert check_entry(CONTACTS, value="1", internal_note="x" * 2000, published_note="y" * 2000).ok
    long = check_entry(CONTACTS, value="1", internal_note="x" * 2001, published_note="y" * 2001)
    assert messages(long) == [
        "Internal note for Contacts received must be 2,000 characters or fewer",
        "Published note for Contacts received must be 2,000 characters or fewer",
    ]
    assert [p.field for p in long.errors] == ["internal_note", "published_note"]


def test_number_text_round_trips():
    assert validation.number_text(12.0) == "12"
    assert validation.number_text(110.5) == "110.5"
    assert validation.number_text(None) == ""
    assert validation.number_text(0.00001) == "0.00001"  # not 1e-05, which would be refused
    assert check_entry(AGENCY, numerator=validation.number_text(0.00001), denominator="1").ok
