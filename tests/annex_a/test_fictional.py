"""The fictional workbooks, and the engine reading a messy one end to end."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from indicators.annex_a import IssueKind, Status, analyse
from indicators.annex_a.fictional import SIMULATED_NOTE, build

D = dt.date


@pytest.fixture(scope="module")
def tidy():
    return build(seed=5, months=4, contacts_per_month=120)


@pytest.fixture(scope="module")
def messy():
    return build(seed=5, months=4, contacts_per_month=120, messy=True)


def test_the_same_arguments_give_the_same_bytes(tidy):
    assert build(seed=5, months=4, contacts_per_month=120).data == tidy.data
    assert build(seed=6, months=4, contacts_per_month=120).data != tidy.data


def test_a_fictional_workbook_says_it_is_simulated(tidy):
    book = load_workbook(io.BytesIO(tidy.data), read_only=True)
    assert book.sheetnames[0] == "About"
    assert next(book["About"].iter_rows(values_only=True))[0] == SIMULATED_NOTE
    ids = {row[0] for row in book["List 1"].iter_rows(min_row=2, values_only=True)}
    assert ids and all(i.startswith("FICT-") for i in ids)
    assert "fictional" in book.properties.title


def test_a_fictional_workbook_covers_its_months_and_every_list(tidy):
    analysis = analyse(tidy.data)
    assert analysis.monthly.months == (D(2025, 6, 1), D(2025, 7, 1), D(2025, 8, 1), D(2025, 9, 1))
    last = analysis.monthly.for_month(D(2025, 9, 1))
    assert all(f.status is Status.COMPUTED for f in last), [f.reason for f in last if f.reason]
    assert set(tidy.rows) == {1, 3, 4, 5, 6, 7, 8, 9}


def test_size_grows_with_contacts_per_month():
    small = build(seed=1, months=2, contacts_per_month=40)
    large = build(seed=1, months=2, contacts_per_month=160)
    assert sum(large.rows.values()) > 3 * sum(small.rows.values())


def figures(analysis):
    return [
        (f.measure, f.month, f.status, f.value, f.numerator, f.denominator)
        for f in analysis.monthly.figures
    ]


def test_a_messy_workbook_gives_exactly_the_figures_of_a_tidy_one(tidy, messy):
    clean, untidy = analyse(tidy.data), analyse(messy.data)
    assert figures(untidy) == figures(clean)
    assert untidy.teams.rows == clean.teams.rows
    assert untidy.teams.workers == clean.teams.workers
    kinds = {i.kind for i in untidy.quality.issues}
    assert kinds <= {IssueKind.BLANK_ROWS, IssueKind.DUPLICATE_ROWS, IssueKind.MISSING_COLUMN}
    # The messy file really is messy: renamed headers, shuffled columns, odd sheet names.
    book = load_workbook(io.BytesIO(messy.data), read_only=True)
    assert "List1" in book.sheetnames and "LIST 7 CP" in book.sheetnames


def test_damage_is_reported_where_it_is(messy):
    damaged = build(seed=5, months=4, contacts_per_month=120, messy=True, damaged=True)
    analysis = analyse(damaged.data)
    assert damaged.damaged
    for (number, header), rows in damaged.damaged.items():
        reported = [
            i for i in analysis.quality.issues if i.list_number == number and i.column == header
        ]
        assert reported, (number, header)
        assert sorted(r for i in reported for r in i.rows) == sorted(rows)
        assert all(i.measures for i in reported)


def test_a_missing_list_is_said_plainly():
    workbook = build(seed=2, months=3, contacts_per_month=60, omit_lists=(9,))
    analysis = analyse(workbook.data)
    [missing] = [i for i in analysis.quality.issues if i.kind is IssueKind.MISSING_LIST]
    assert missing.list_number == 9
    figure = analysis.monthly.figure("care_leavers_eet_pct", D(2025, 9, 1))
    assert figure.status is Status.NOT_COMPUTABLE
    assert "List 9" in figure.reason


def test_a_fictional_workbook_must_end_on_a_month_end():
    with pytest.raises(ValueError, match="last day of a month"):
        build(end=D(2025, 9, 15))
