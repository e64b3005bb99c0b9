"""The return as a file: templates, a good upload, and every kind of bad one."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.returns import services, uploads
from indicators.returns.models import (
    MonthlyReturn,
    ReturnEvent,
    ReturnStatus,
    ReturnValue,
    ValueChange,
)
from indicators.returns.uploads import COLUMNS, neutralise, restore
from tests.indicators.returns.conftest import COMPLETE, MONTH, SLUG, form_on_page

pytestmark = pytest.mark.django_db
NO_CELL = "\u2013"  # shown where a problem has no row or column


@pytest.fixture
def officer(client, users):
    client.force_login(users["data_officer"])
    return users["data_officer"]


def template(client, authority, kind="csv"):
    response = client.get(reverse(f"returns:template_{kind}", args=[authority.gss_code, MONTH]))
    assert response.status_code == 200
    return response


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def filled(rows: list[dict], entries: dict = COMPLETE) -> list[dict]:
    for row in rows:
        row.update(entries.get(row["indicator"], {}))
    return rows


def to_csv(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(COLUMNS)
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column, "")
            if column in ("value", "numerator", "denominator"):
                with contextlib.suppress(ValueError):
                    value = float(value)
            cells.append(None if value == "" else value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_url(authority) -> str:
    return reverse("returns:upload", args=[authority.gss_code, MONTH])


def upload(client, authority, name, content, **fields):
    """Upload a file from the return page's upload form, as it is now (with the version of
    the return the page shows), or with the ``fields`` given instead."""
    if not fields:
        page = client.get(reverse("returns:return", args=[authority.gss_code, MONTH]))
        fields = form_on_page(page.content.decode(), upload_url(authority))
    return client.post(upload_url(authority), {**fields, "file": SimpleUploadedFile(name, content)})


def good_rows(client, authority):
    return filled(csv_rows(template(client, authority).content.decode()))


# --- templates -----------------------------------------------------------------------------


def test_the_csv_template_is_prefilled(client, authority, officer):
    response = template(client, authority)
    assert response["Content-Disposition"] == (
        f'attachment; filename="monthly-return-E08000036-{SLUG}.csv"'
    )
    text = response.content.decode()
    assert text.startswith("\ufeffauthority,month,indicator,indicator_name,value,numerator,")
    rows = csv_rows(text)
    assert len(rows) == 22
    assert {row["authority"] for row in rows} == {"E08000036"}
    assert {row["month"] for row in rows} == {SLUG}
    assert rows[0]["indicator"] == "contacts" and rows[0]["indicator_name"] == "Contacts received"
    # The last row says which version of the return the template was made from: none yet.
    assert rows[-1]["indicator"] == "template_version" and rows[-1]["value"] == "0"
    assert rows[-1]["indicator_name"].startswith("Keep this row as it is")


def test_the_excel_template_is_prefilled_with_what_is_saved(client, authority, users, officer):
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"agency_sw_pct": {"numerator": "22.5", "denominator": "150"}},
        version=0,
    )
    response = template(client, authority, "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Return"]
    header = [cell.value for cell in sheet[1]]
    assert header == COLUMNS
    rows = {row[2]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 22
    assert rows["template_version"][4] == 1  # made from version 1 of the return
    assert rows["agency_sw_pct"][5:7] == (22.5, 150)
    assert rows["contacts"][:2] == ("E08000036", SLUG)
    assert "Guidance" in book.sheetnames


def test_formulas_in_the_templates_are_neutralised(client, authority, users, officer):
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"cla": {"value": "650", "internal_note": '=HYPERLINK("http://evil","click")'}},
        version=0,
    )
    rows = {row["indicator"]: row for row in csv_rows(template(client, authority).content.decode())}
    assert rows["cla"]["internal_note"] == '\'=HYPERLINK("http://evil","click")'
    book = load_workbook(io.BytesIO(template(client, authority, "xlsx").content))
    cells = {row[2].value: row for row in book["Return"].iter_rows(min_row=2)}
    cell = cells["cla"][7]
    assert cell.value.startswith("'=") and cell.data_type == "s"
    for prefix in "=+-@":
        assert neutralise(f"{prefix}SUM(A1)") == f"'{prefix}SUM(A1)"
        assert restore(neutralise(f"{prefix}SUM(A1)")) == f"{prefix}SUM(A1)"
    assert neutralise("-3.5") == "-3.5"  # a plain number stays a number
    assert neutralise("fine") == "fine" and restore("'quoted") == "'quoted"


# --- good files ------------------------------------------------------------------------------


def test_a_good_csv_saves_every_figure(client, authority, officer):
    response = upload(client, authority, "return.csv", to_csv(good_rows(client, authority)))
    assert response.status_code == 302
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.values.count() == 21
    assert monthly_return.values.get(indicator__code="avg_caseload").denominator == 110.5
    changes = ValueChange.objects.all()
    assert changes and {c.via for c in changes} == {"upload"}
    assert {c.reason for c in changes} == {"Uploaded return.csv"}
    assert ReturnEvent.objects.filter(kind="uploaded").count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "return.csv was uploaded: 21 indicators changed" in html
    # It can be submitted as it is.
    services.submit_return(monthly_return=monthly_return, user=officer)


def test_a_good_excel_file_saves_every_figure(client, authority, officer):
    response = upload(client, authority, "return.xlsx", to_xlsx(good_rows(client, authority)))
    assert response.status_code == 302, response.content.decode()[:3000]
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.values.count() == 21
    assert monthly_return.values.get(indicator__code="contacts").value == 1200


def test_the_downloaded_excel_template_filled_in_uploads(client, authority, officer):
    book = load_workbook(io.BytesIO(template(client, authority, "xlsx").content))
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "template_version":
            continue
        entry = COMPLETE[row[2].value]
        for index, column in ((4, "value"), (5, "numerator"), (6, "denominator")):
            if column in entry:
                row[index].value = float(entry[column])
    out = io.BytesIO()
    book.save(out)
    assert upload(client, authority, "filled.xlsx", out.getvalue()).status_code == 302
    assert ReturnValue.objects.count() == 21


def test_blank_rows_keep_what_is_saved(client, authority, users, officer):
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=officer,
        entries={"cla": {"value": "640"}},
        version=0,
    )
    rows = csv_rows(template(client, authority).content.decode())
    for row in rows:
        for column in uploads.ENTRY_COLUMNS:
            row[column] = ""
    rows[0]["value"] = "1200"  # contacts only
    response = upload(client, authority, "some.csv", to_csv(rows))
    assert response.status_code == 302
    assert ReturnValue.objects.get(indicator__code="cla").value == 640
    assert ReturnValue.objects.get(indicator__code="contacts").value == 1200


# --- bad files: all or nothing ---------------------------------------------------------------


def snapshot():
    return (
        list(MonthlyReturn.objects.values_list("pk", "version", "status")),
        list(ReturnValue.objects.values_list("indicator__code", "value", "numerator")),
        ValueChange.objects.count(),
        ReturnEvent.objects.count(),
    )


@pytest.fixture
def saved_before(authority, users):
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"cla": {"value": "640"}},
        version=0,
    )
    return snapshot()


def problems(response) -> list[tuple[str, str, str]]:
    """(row, column, problem) from the table of problems on the page."""
    html = response.content.decode()
    assert "nothing has changed" in html
    body = html[html.index('id="upload-problems"') :]
    cells = [
        cell.strip()
        for cell in __import__("re").findall(r'<td class="govuk-table__cell">(.*?)</td>', body)
    ]
    return [tuple(cells[i : i + 3]) for i in range(0, len(cells), 3)]


def test_wrong_columns(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    columns = [c for c in COLUMNS if c != "denominator"] + ["notes"]
    response = upload(client, authority, "bad.csv", to_csv(rows, columns))
    assert problems(response) == [
        ("1", "denominator", "The column &#x27;denominator&#x27; is missing"),
        ("1", "notes", "The column &#x27;notes&#x27; is not in the template"),
    ]
    assert snapshot() == saved_before


def test_unknown_indicator(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows[3]["indicator"] = "rereferals"
    found = problems(upload(client, authority, "bad.csv", to_csv(rows)))
    assert found == [
        ("5", "indicator", "&#x27;rereferals&#x27; is not an indicator in the monthly return")
    ]
    assert snapshot() == saved_before


def test_bad_number(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows[0]["value"] = "lots"
    rows[10]["value"] = "650.5"
    found = problems(upload(client, authority, "bad.csv", to_csv(rows)))
    assert found == [
        ("2", "value", "Contacts received must be a number"),
        ("12", "value", "Children looked after at month end must be a whole number"),
    ]
    assert snapshot() == saved_before


def test_numerator_above_denominator(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows[4]["numerator"] = "300"  # assessments: 300 of 280
    found = problems(upload(client, authority, "bad.xlsx", to_xlsx(rows)))
    assert found == [
        (
            "6",
            "numerator",
            "Assessments completed within 45 working days must not be more than assessments "
            "completed",
        )
    ]
    assert snapshot() == saved_before


def test_wrong_authority_and_month(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows[0]["authority"] = "E08000034"
    rows[1]["month"] = "2019-01"
    rows[2]["month"] = "last month"
    found = problems(upload(client, authority, "bad.csv", to_csv(rows)))
    assert found == [
        (
            "2",
            "authority",
            "E08000034 is not this return&#x27;s authority: enter E08000036 (Wakefield)",
        ),
        ("3", "month", f"January 2019 is not this return&#x27;s month: enter {SLUG}"),
        ("4", "month", f"Enter the month as {SLUG}, not &#x27;last month&#x27;"),
    ]
    assert snapshot() == saved_before


def test_a_count_with_parts_and_a_ratio_with_a_value(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows[0]["numerator"] = "5"
    rows[1]["value"] = "75"
    found = problems(upload(client, authority, "bad.csv", to_csv(rows)))
    assert [(row, column) for row, column, _ in found] == [("2", "numerator"), ("3", "value")]
    assert snapshot() == saved_before


def test_a_row_twice(client, authority, officer, saved_before):
    rows = good_rows(client, authority)
    rows.append(dict(rows[0]))
    found = problems(upload(client, authority, "bad.csv", to_csv(rows)))
    assert found == [("24", "indicator", "contacts is in the file twice (rows 2 and 24)")]
    assert snapshot() == saved_before


def test_empty_file(client, authority, officer, saved_before):
    response = upload(client, authority, "empty.csv", b"")
    assert "The file is empty" in response.content.decode()
    response = upload(client, authority, "blank.csv", b"\n\n  \n")
    assert problems(response) == [(NO_CELL, NO_CELL, "The file is empty")]
    response = upload(client, authority, "header.csv", to_csv([]))
    assert "nothing has changed" not in response.content.decode()  # a header alone: no figures
    assert snapshot() == saved_before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("return.pdf", b"%PDF-1.4 not a spreadsheet", "must be a CSV (.csv) or Excel (.xlsx)"),
        ("return.xlsx", b"authority,month\nE08000036,2026-01\n", "not an Excel (.xlsx) workbook"),
        ("return.csv", b"PK\x03\x04\x00\x00binary", "is not a CSV file"),
    ],
)
def test_not_a_csv_or_excel_file(client, authority, officer, saved_before, name, content, message):
    response = upload(client, authority, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == saved_before


def test_upload_only_into_a_draft_or_reopened_return(client, authority, users, officer):
    monthly_return = services.save_return_values(
        authority=authority, month=MONTH, user=officer, entries=COMPLETE, version=0
    ).monthly_return
    services.submit_return(monthly_return=monthly_return, user=officer)
    before = snapshot()
    response = upload(client, authority, "late.csv", to_csv(good_rows(client, authority)))
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()
    assert snapshot() == before
    monthly_return.refresh_from_db()
    services.reopen_return(monthly_return=monthly_return, user=users["approver"], reason="Fix")
    rows = good_rows(client, authority)
    rows[0]["value"] = "1201"
    assert upload(client, authority, "fixed.csv", to_csv(rows)).status_code == 302
    monthly_return.refresh_from_db()
    assert monthly_return.status == ReturnStatus.REOPENED
    assert ReturnValue.objects.get(indicator__code="contacts").value == 1201


def test_the_upload_service_checks_the_role(authority, users):
    with pytest.raises(services.ReturnRefused):
        services.import_return_upload(
            authority=authority,
            month=MONTH,
            user=users["board_member"],
            file_name="x.csv",
            content=b"authority\n",
        )
