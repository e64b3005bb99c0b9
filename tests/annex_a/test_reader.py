"""Reading Annex A workbooks as a careful analyst would, and refusing only the unreadable."""

import datetime as dt
import io
import json
import zipfile

import numpy as np
import pytest

from indicators.annex_a import IssueKind, Limits, UnreadableWorkbook, WorkbookTooLarge
from indicators.annex_a.fictional import as_saved_by_excel
from indicators.annex_a.reader import read_workbook

from .builders import HEADERS, lists, read, xlsx

D = dt.date


def dates_of(annex, number, key):
    return annex.get(number).dates(key).astype(str).tolist()


def issues(annex, kind):
    return [i for i in annex.quality.issues if i.kind == kind]


def test_sheets_are_found_whatever_their_names_look_like():
    data = xlsx(
        {
            "Summary": [["Not a list"]],
            "List1": [["Child Unique ID", "Date of Contact"], ["C1", D(2024, 5, 3)]],
            "list 3 - referrals": [["Child ID", "Referral Date"], ["C1", D(2024, 5, 3)]],
            "LIST_7 CP": [["Child Unique ID", "CP Plan Start Date"], ["C1", D(2024, 5, 3)]],
            "List 08": [
                ["Child Unique ID", "Date Started to be Looked After"],
                ["C2", D(2024, 1, 1)],
            ],
        }
    )
    annex = read_workbook(data)
    assert {n: annex.get(n).sheet for n in annex.lists} == {
        1: "List1",
        3: "list 3 - referrals",
        7: "LIST_7 CP",
        8: "List 08",
    }
    missing = {i.list_number for i in issues(annex, IssueKind.MISSING_LIST)}
    assert missing == {4, 5, 6, 9}


def test_a_second_sheet_for_the_same_list_is_reported_not_read():
    data = xlsx(
        {
            "List 1": [["Child Unique ID", "Date of Contact"], ["C1", D(2024, 5, 3)]],
            "List 1 (old)": [["Child Unique ID", "Date of Contact"], ["C9", D(2020, 1, 1)]],
        }
    )
    annex = read_workbook(data)
    assert annex.get(1).columns["child_id"].tolist() == ["C1"]
    [duplicate] = issues(annex, IssueKind.DUPLICATE_SHEET)
    assert "List 1 (old)" in duplicate.message


def test_headers_match_whatever_the_case_spacing_order_or_wording():
    rows = [
        ["SIMULATED extract - run 30/09/2025"],  # a title row above the header
        ["Notes", "allocated\u00a0TEAM ", "CIN Closure date", "Child  ID", "cin start date"],
        ["x", "Team A", None, "C1", D(2024, 1, 5)],
    ]
    annex = read_workbook(xlsx({"List 6": rows}))
    six = annex.get(6)
    assert six.columns["child_id"].tolist() == ["C1"]
    assert six.columns["team"].tolist() == ["Team A"]
    assert dates_of(annex, 6, "cin_start") == ["2024-01-05"]
    assert six.rows.tolist() == [3]  # the spreadsheet's own row number
    [missing] = issues(annex, IssueKind.MISSING_COLUMN)
    assert missing.column == "Allocated Worker"
    assert missing.list_number == 6


def test_every_way_a_date_is_written_is_read():
    cells = [
        D(2024, 5, 3),
        dt.datetime(2024, 5, 3, 14, 30),
        "03/05/2024",
        "3/5/2024",
        "2024-05-03",
        "2024-05-03 00:00:00",
        "3 May 2024",
        "03-May-2024",
        "3rd May 2024",
        "03.05.2024",
        45415,  # the Excel serial number for 3 May 2024
        "45415",
        "=DATE(2024,5,3)",  # a formula, saved with its result below
        " 03/05/2024\u00a0",
    ]
    rows = [["Child Unique ID", "Date of Contact"]] + [[f"C{i}", c] for i, c in enumerate(cells)]
    annex = read_workbook(as_saved_by_excel(xlsx({"List 1": rows}), D(2024, 6, 1)))
    assert dates_of(annex, 1, "contact_date") == ["2024-05-03"] * len(cells)
    assert {i.kind for i in annex.quality.problems} == {IssueKind.MISSING_LIST}


def test_unreadable_dates_errors_and_formulas_without_results_are_reported_by_row():
    rows = [
        ["Child Unique ID", "Date of Contact"],
        ["C1", D(2024, 5, 3)],
        ["C2", "31/02/2024"],  # row 3: no such day
        ["C3", "#N/A"],  # row 4: a spreadsheet error
        ["C4", '=DATEVALUE("1/1/2024")'],  # row 5: a formula saved without its result
        ["C5", "next week"],  # row 6
        ["C6", 12],  # row 7: a number far too small to be a date
    ]
    annex = read_workbook(xlsx({"List 1": rows}))
    assert dates_of(annex, 1, "contact_date") == ["2024-05-03"] + ["NaT"] * 5
    assert annex.get(1).bad["contact_date"].tolist() == [False] + [True] * 5
    [unreadable] = issues(annex, IssueKind.UNREADABLE_DATE)
    assert (unreadable.count, unreadable.rows) == (3, (3, 6, 7))
    assert unreadable.column == "Date of Contact"
    [error] = issues(annex, IssueKind.ERROR_VALUE)
    assert (error.count, error.rows) == (1, (4,))
    [formula] = issues(annex, IssueKind.FORMULA_WITHOUT_VALUE)
    assert (formula.count, formula.rows) == (1, (5,))
    assert "rows 3, 6 and 7" in unreadable.message


def test_issue_messages_name_rows_never_values():
    rows = [
        ["Child Unique ID", "Date of Contact"],
        ["CHILD-SECRET-1", "SECRET-DATE-TEXT"],
        [None, D(2024, 5, 3)],
        ["CHILD-SECRET-2", D(2024, 5, 3)],
        ["CHILD-SECRET-2", D(2024, 5, 3)],
    ]
    nine = [HEADERS[9], ["CHILD-SECRET-3", "Team", "Worker Name", "SECRET-TOUCH", None, None]]
    annex = read_workbook(xlsx({"List 1": rows, "List 9": nine}))
    text = json.dumps(annex.quality.as_dict())
    assert "SECRET" not in text
    kinds = {i.kind for i in annex.quality.issues}
    assert {
        IssueKind.UNREADABLE_DATE,
        IssueKind.MISSING_CHILD_ID,
        IssueKind.DUPLICATE_ROWS,
        IssueKind.UNKNOWN_CODE,
    } <= kinds


def test_blank_rows_are_skipped_and_exact_duplicates_counted_once():
    rows = [
        ["Child Unique ID", "Date of Contact", "Contact Source"],
        ["C1", D(2024, 5, 3), "Police"],
        [None, None, None],
        ["C1", D(2024, 5, 3), "Police"],  # row 4: the same row again
        ["C1", D(2024, 5, 3), "School"],  # the same child and day from another source: kept
        [None, None, None],
        [None, None, None],
    ]
    annex = read_workbook(xlsx({"List 1": rows}))
    assert annex.get(1).rows.tolist() == [2, 5]
    [duplicate] = issues(annex, IssueKind.DUPLICATE_ROWS)
    assert duplicate.rows == (4,)
    [blank] = issues(annex, IssueKind.BLANK_ROWS)
    assert blank.rows == (3,)  # blank rows after the last row are not worth a word


def test_a_row_without_a_child_identifier_is_left_out_and_reported_once():
    rows = [["Child Unique ID", "Date of Contact"], ["C1", D(2024, 5, 3)], [None, "garbage"]]
    annex = read_workbook(xlsx({"List 1": rows}))
    assert annex.get(1).columns["child_id"].tolist() == ["C1"]
    [missing] = issues(annex, IssueKind.MISSING_CHILD_ID)
    assert missing.rows == (3,)
    assert not issues(annex, IssueKind.UNREADABLE_DATE)


def test_a_needed_date_left_blank_is_reported():
    annex = read(list1=[["C1", "Male", None, None, "Police"]])
    [blank] = issues(annex, IssueKind.BLANK_VALUE)
    assert (blank.column, blank.rows) == ("Date of Contact", (2,))
    assert annex.get(1).bad["contact_date"].tolist() == [True]


def test_dates_in_the_wrong_order_are_not_used():
    annex = read(list4=[["C1", D(2024, 5, 10), D(2024, 5, 3), "T", "W"]])
    [wrong] = issues(annex, IssueKind.DATES_OUT_OF_ORDER)
    assert wrong.column == "Continuous Assessment Date of Authorisation"
    assert annex.get(4).bad["assessment_authorised"].tolist() == [True]


def test_coded_values_with_or_without_their_letter():
    rows = [
        ["C1", "Team", "W", "a) Yes", "a) Suitable", "F1: Full time in higher education"],
        ["C2", "Team", "W", "Yes", "Suitable", "F1) Full time in higher education"],
        ["C3", "Team", "W", "Y", "b) Unsuitable", "Full time in higher education"],
        ["C4", "Team", "W", "NREQ", "Not suitable", "G5: Not in education, employment or training"],
        ["C5", "Team", "W", "b) No ", "unsuitable", "p3"],
        ["C6", "Team", "W", "yes", None, "Z9: Something else"],
    ]
    annex = read(list9=rows)
    nine = annex.get(9)
    assert nine.columns["in_touch"].tolist() == ["yes", "yes", "yes", "no", "no", "yes"]
    assert nine.columns["accommodation_suitable"].tolist() == [
        "suitable",
        "suitable",
        "unsuitable",
        "unsuitable",
        "unsuitable",
        None,
    ]
    assert nine.columns["activity"].tolist() == ["eet", "eet", "eet", "neet", "eet", None]
    [unknown] = issues(annex, IssueKind.UNKNOWN_CODE)
    assert (unknown.column, unknown.rows) == ("Activity Status", (7,))


def test_names_are_tidied_and_unallocated_is_read_as_nobody():
    rows = [
        ["C1", D(2024, 1, 1), None, " Team\u00a0A ", "Ana  Bel "],
        ["C2", D(2024, 1, 1), None, "Team A", "Unallocated"],
        ["C3", D(2024, 1, 1), None, "Team A", "n/a"],
        ["C4", D(2024, 1, 1), None, "Team A", None],
        [12345.0, D(2024, 1, 1), None, "Team A", "-"],
    ]
    six = read(list6=rows).get(6)
    assert six.columns["team"].tolist() == ["Team A"] * 5
    assert six.columns["worker"].tolist() == ["Ana Bel", None, None, None, None]
    assert six.columns["child_id"].tolist() == ["C1", "C2", "C3", "C4", "12345"]


# --- refusals ----------------------------------------------------------------------------------


def test_a_file_that_is_not_a_workbook_is_refused_plainly():
    with pytest.raises(UnreadableWorkbook, match="not an Excel workbook"):
        read_workbook(b"Child Unique ID,Date of Contact\nC1,03/05/2024\n")


def test_an_old_xls_or_password_protected_file_is_refused_with_the_fix():
    with pytest.raises(UnreadableWorkbook, match=r"\.xls"):
        read_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_a_damaged_zip_is_refused():
    data = lists(list1=[["C1", "Male", None, D(2024, 5, 3), "Police"]])
    with pytest.raises(UnreadableWorkbook, match="damaged"):
        read_workbook(data[: len(data) // 2])


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableWorkbook, match="no workbook inside"):
        read_workbook(buffer.getvalue())


def test_a_workbook_with_no_annex_a_list_is_refused():
    with pytest.raises(UnreadableWorkbook, match="List 1"):
        read_workbook(xlsx({"Sheet1": [["Name"], ["x"]]}))


def test_a_workbook_with_only_unused_lists_is_refused():
    with pytest.raises(UnreadableWorkbook, match="no monthly measure uses"):
        read_workbook(xlsx({"List 2": [["Child Unique ID"], ["C1"]]}))


# --- limits, checked before anything is read ---------------------------------------------------


@pytest.fixture
def calamine_must_not_run(monkeypatch):
    import python_calamine

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was read before its limits were checked")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


def five_contacts(columns: int = 2) -> bytes:
    header = ["Child Unique ID", "Date of Contact"] + [f"Extra {i}" for i in range(columns - 2)]
    rows = [[f"C{i}", D(2024, 5, 3)] + [1] * (columns - 2) for i in range(5)]
    return xlsx({"List 1": [header, *rows]})


@pytest.mark.parametrize(
    ("limits", "name"),
    [
        (Limits(max_file_bytes=1000), "max_file_bytes"),
        (Limits(max_uncompressed_bytes=2000), "max_uncompressed_bytes"),
        (Limits(max_zip_members=3), "max_zip_members"),
        (Limits(max_rows_per_list=3), "max_rows_per_list"),
        (Limits(max_rows_total=1), "max_rows_total"),
        (Limits(max_columns=4), "max_columns"),
    ],
)
def test_each_limit_is_enforced_before_reading_and_named(calamine_must_not_run, limits, name):
    with pytest.raises(WorkbookTooLarge) as refused:
        read_workbook(five_contacts(columns=6), limits=limits)
    assert refused.value.limit == name
    assert name.replace("_", " ") in str(refused.value)
    assert limits.described(name) in str(refused.value)


def test_a_zip_bomb_is_refused(calamine_must_not_run):
    source = zipfile.ZipFile(io.BytesIO(five_contacts()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(WorkbookTooLarge) as refused:
        read_workbook(buffer.getvalue())
    assert refused.value.limit == "max_compression_ratio"


def test_the_default_limits_take_a_large_county():
    limits = Limits()
    assert limits.max_rows_total >= 500_000
    assert limits.max_rows_per_list >= 200_000
    assert np.isclose(limits.max_file_bytes / 1024 / 1024, 60)
