"""Uploads that tried to take the service down (issue 13, item 1), kept as tests.

A 117 KB CSV with 60,000 header columns made the duplicate-column check quadratic, and a small
.xlsx whose sheet unpacked to 60 MB was read whole. Now every limit in ``RETURN_UPLOAD_LIMITS`` is
checked before or as the file is read, with a message naming the limit, and nothing changes.
(How long they take is measured by ``manage.py benchmark``, never asserted here.)
"""

from __future__ import annotations

import io
import itertools
import zipfile
from unittest import mock

import pytest

from authorities.models import AuditAction, AuditEntry
from authorities.toolkit.importing import ImportFailed
from indicators.returns import uploads
from indicators.returns.uploads import COLUMNS
from reports.benchmark.hostile import sheet_workbook as workbook
from reports.benchmark.hostile import text_cell
from tests.indicators.returns import test_upload as files
from tests.indicators.returns.test_upload import problems, snapshot, to_csv, upload

pytestmark = pytest.mark.django_db
NO_CELL = "\u2013"
officer = files.officer  # signed in as a data officer of the authority
saved_before = files.saved_before  # a saved figure, and everything the upload must not change


def unpacked(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(part.file_size for part in archive.infolist())


def refused_with(response, message: str) -> None:
    """One problem, the limit, on the upload page; nothing saved."""
    assert response.status_code == 200
    assert [found[2] for found in problems(response)] == [message]


# --- the attacks, through the page --------------------------------------------------------------


def test_a_csv_with_60000_header_columns_is_refused_naming_the_limit(
    client, authority, officer, saved_before
):
    content = (",".join(itertools.repeat("a", 60_000)) + "\r\n").encode()
    assert len(content) < 125_000  # about the 117 KB of the attack
    response = upload(client, authority, "wide.csv", content)
    assert problems(response) == [
        ("1", NO_CELL, "The file must have 50 columns or fewer: the template has 10")
    ]
    assert snapshot() == saved_before
    entry = AuditEntry.objects.get(action=AuditAction.UPLOAD_FAILED)
    assert "50 columns or fewer" in entry.detail


def test_a_small_workbook_that_unpacks_to_60_mb_is_refused_before_it_is_read(
    client, authority, officer, saved_before
):
    # A comment of 60 MB of spaces in the sheet packs to about 60 KB.
    bomb = workbook(after_rows="<!--" + " " * (60 * 1024 * 1024) + "-->")
    assert len(bomb) < 250 * 1024 and unpacked(bomb) > 60 * 1024 * 1024
    with mock.patch("openpyxl.load_workbook") as load_workbook:
        response = upload(client, authority, "bomb.xlsx", bomb)
    load_workbook.assert_not_called()
    refused_with(
        response,
        "The workbook must be smaller than 10 MB when unpacked: save it again as .xlsx from "
        "the template, without pictures or extra sheets",
    )
    assert snapshot() == saved_before


def test_a_part_that_unpacks_to_hundreds_of_times_its_size_is_refused(
    client, authority, officer, saved_before
):
    tight = workbook(after_rows="<!--" + " " * (5 * 1024 * 1024) + "-->")
    assert unpacked(tight) < 10 * 1024 * 1024  # under the size limit: the ratio refuses it
    with mock.patch("openpyxl.load_workbook") as load_workbook:
        response = upload(client, authority, "tight.xlsx", tight)
    load_workbook.assert_not_called()
    refused_with(
        response,
        "The workbook cannot be read safely: part of it unpacks to more than 100 times its "
        "size. Save it again as .xlsx from the template",
    )
    assert snapshot() == saved_before


def test_a_workbook_of_many_parts_is_refused(client, authority, officer, saved_before):
    response = upload(client, authority, "parts.xlsx", workbook(extra_parts=100))
    refused_with(
        response,
        "The workbook must have 100 parts or fewer inside it: save it again as .xlsx from the "
        "template",
    )
    assert snapshot() == saved_before


def test_a_sheet_that_claims_a_million_rows_is_not_padded_out(
    client, authority, officer, saved_before
):
    """Rows 2 and 1,048,576 only: openpyxl fills the gap with blank rows, which count as cells
    until the limit stops the reading."""
    rows = f'<row r="2">{text_cell("A2")}</row><row r="1048576">{text_cell("A1048576")}</row>'
    response = upload(client, authority, "tall.xlsx", workbook(rows))
    refused_with(response, "The file must have 100,000 cells or fewer")
    assert snapshot() == saved_before


def test_a_cell_in_the_last_column_is_refused_as_too_many_columns(
    client, authority, officer, saved_before
):
    response = upload(
        client, authority, "far.xlsx", workbook(f'<row r="2">{text_cell("XFD2")}</row>')
    )
    assert problems(response) == [
        ("2", NO_CELL, "The file must have 50 columns or fewer: the template has 10")
    ]
    assert snapshot() == saved_before


def test_the_size_a_sheet_claims_is_not_trusted():
    """A sheet that claims to fill every row and column of Excel but holds three rows is read
    as three rows, not padded out to the claim (which would pass the cell limit)."""
    rows = "".join(f'<row r="{n}">{text_cell(f"A{n}")}</row>' for n in (2, 3, 4))
    content = workbook(rows, dimension="A1:XFD1048576")
    assert [row.number for row in uploads.read_rows("claims.xlsx", content)] == [2, 3, 4]


def test_more_rows_than_the_limit_are_refused(client, authority, officer, saved_before):
    rows = [{"authority": "E08000036", "indicator": "cla"} for _ in range(501)]
    response = upload(client, authority, "long.csv", to_csv(rows))
    refused_with(response, "The file must have 500 rows or fewer, not counting the header")
    assert snapshot() == saved_before


def test_a_2_mb_csv_of_commas_is_refused_by_its_cells(client, authority, officer, saved_before):
    content = b"authority,month\r\n" + b"," * (2 * 1024 * 1024 - 100) + b"x\r\n"
    response = upload(client, authority, "commas.csv", content)
    refused_with(response, "The file must have 100,000 cells or fewer")
    assert snapshot() == saved_before


# --- the reading itself ------------------------------------------------------------------------


def limits(**changes: int) -> uploads.UploadLimits:
    return uploads.UploadLimits(**{**vars(uploads.upload_limits()), **changes})


def test_reading_stops_at_the_first_limit_passed_whatever_follows():
    """An endless file is read only as far as the limit: if reading went on, this never ends."""
    read = 0

    def endless():
        nonlocal read
        for number in itertools.count(1):
            read += 1
            yield number, ["x", "y"]

    with pytest.raises(ImportFailed) as refused:
        uploads._bounded_table("endless.csv", endless(), limits())
    assert [error.message for error in refused.value.errors] == [
        "The file must have 500 rows or fewer, not counting the header"
    ]
    assert read == 502  # the header, 500 rows, and the one too many

    read = 0

    def blank():
        nonlocal read
        for number in itertools.count(1):
            read += 1
            yield number, []

    with pytest.raises(ImportFailed) as refused:
        uploads._bounded_table("blank.csv", blank(), limits())
    assert refused.value.errors[0].message == "The file must have 100,000 cells or fewer"
    assert read == 100_001


def test_a_header_at_the_column_limit_names_each_duplicate_once():
    header = ["authority", "month", *["notes"] * 30, *["value"] * 18]
    content = (",".join(header) + "\n").encode()
    with pytest.raises(ImportFailed) as refused:
        uploads.read_rows("dupes.csv", content)
    duplicates = [e.column for e in refused.value.errors if "more than once" in e.message]
    assert duplicates == ["notes", "value"]


def test_the_limits_are_settings_and_the_messages_follow_them(settings):
    settings.RETURN_UPLOAD_LIMITS = {
        **settings.RETURN_UPLOAD_LIMITS,
        "rows": 2,
        "columns": 12,
        "file_bytes": 512 * 1024,
    }
    header = ",".join(COLUMNS)
    with pytest.raises(ImportFailed) as refused:
        uploads.read_rows("three.csv", f"{header}\na\nb\nc\n".encode())
    assert refused.value.errors[0].message == (
        "The file must have 2 rows or fewer, not counting the header"
    )
    assert len(uploads.read_rows("two.csv", f"{header}\na\nb\n".encode())) == 2
    with pytest.raises(ImportFailed) as refused:
        uploads.read_rows("wide.csv", ("a," * 12 + "a\n").encode())
    assert refused.value.errors[0].message.startswith("The file must have 12 columns or fewer")
    with pytest.raises(ImportFailed) as refused:
        uploads.read_rows("big.csv", b"a" * (512 * 1024 + 1))
    assert refused.value.errors[0].message == "The file must be smaller than 512 KB"


def test_a_file_at_the_limits_is_read(settings):
    header = ",".join(COLUMNS)
    rows = "\n".join(f"E08000036,2026-01,code{n}" for n in range(500))
    assert len(uploads.read_rows("full.csv", f"{header}\n{rows}\n".encode())) == 500
