"""The monthly return as a file: the CSV and Excel templates, and the one importer that reads a
filled-in template back.

The importer reads every row, checks it by the same rules as the form (``validation``) and
reports every problem by row and column (``importing.RowError``); only a file with no problems
is handed on to be saved, in one transaction, by ``services.import_return_upload``.

No file may cost more than ``RETURN_UPLOAD_LIMITS`` (settings) allow: the size of the file, and
of an Excel workbook unpacked, is checked before anything in it is read; rows, columns and cells
are counted as they are read, which stops at the first limit passed. Every check is linear in
what was read.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from authorities.toolkit.csv_safety import restore, safe_cell
from authorities.toolkit.importing import ImportFailed, RowError

from .validation import (
    DENOMINATOR,
    EXPLANATION,
    INTERNAL_NOTE,
    NUMERATOR,
    PUBLISHED_NOTE,
    VALUE,
    IndicatorLike,
    Thresholds,
    check_entry,
    is_ratio,
    number_text,
)

COLUMNS = [
    "authority",
    "month",
    "indicator",
    "indicator_name",
    VALUE,
    NUMERATOR,
    DENOMINATOR,
    INTERNAL_NOTE,
    PUBLISHED_NOTE,
    EXPLANATION,
]
ENTRY_COLUMNS = [VALUE, NUMERATOR, DENOMINATOR, INTERNAL_NOTE, PUBLISHED_NOTE, EXPLANATION]
# Templates made before the notes were split had one "commentary" column, which was published.
OLD_COMMENTARY = "commentary"
# The template's last row says which version of the return it was made from (in the value
# column), so an upload made from an old template cannot undo figures saved since.
TEMPLATE_VERSION = "template_version"
TEMPLATE_VERSION_NOTE = (
    "Keep this row as it is: it says which version of the return this template was made from, "
    "so that uploading it cannot undo figures saved since"
)
SHEET_NAME = "Return"


@dataclass(frozen=True)
class UploadLimits:
    """What one return file may hold (``settings.RETURN_UPLOAD_LIMITS``)."""

    file_bytes: int
    workbook_bytes: int
    workbook_parts: int
    compression_ratio: int
    rows: int
    columns: int
    cells: int


NOT_A_WORKBOOK = "The file is not an Excel (.xlsx) workbook: save it as .xlsx or CSV"
# Below this size unpacked, a part of a workbook costs too little to matter however well it packs.
RATIO_CHECKED_FROM = 1024 * 1024


def upload_limits() -> UploadLimits:
    from django.conf import settings

    return UploadLimits(**settings.RETURN_UPLOAD_LIMITS)


def size_text(size: int) -> str:
    """A limit in bytes as people say it: "2 MB"."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:,.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:,.0f} KB"


# A spreadsheet runs a cell that starts with a formula character as a formula (CSV injection):
# every text cell goes through the one rule in ``csv_safety``, and is restored on the way back in.
neutralise = safe_cell


# --- templates -------------------------------------------------------------------------------


def template_rows(
    authority: Any,
    month: datetime.date,
    indicators: Sequence[IndicatorLike],
    saved: Mapping[str, Any] | None = None,
    *,
    version: int | None = None,
) -> list[list[Any]]:
    """One row per indicator, pre-filled with the authority, month, indicator and whatever is
    saved already, then (given the return's ``version``) the row saying which version that
    is. Numbers stay numbers; every text cell is neutralised."""
    saved = saved or {}
    rows = []
    for indicator in indicators:
        value = saved.get(indicator.code)
        numbers: list[Any] = [None, None, None]
        notes = ["", "", ""]  # internal note, published note, explanation
        if value is not None:
            if is_ratio(indicator):
                numbers = [None, value.numerator, value.denominator]
            else:
                numbers = [value.value, None, None]
            notes = [value.internal_note, value.published_note, value.explanation]
        rows.append(
            [
                neutralise(authority.gss_code),
                f"{month:%Y-%m}",
                neutralise(indicator.code),
                neutralise(indicator.name),
                *[_whole_if_whole(number) for number in numbers],
                *[neutralise(note) for note in notes],
            ]
        )
    if version is not None:
        rows.append(version_row(authority, month, version))
    return rows


def version_row(authority: Any, month: datetime.date, version: int) -> list[Any]:
    cells: dict[str, Any] = {
        "authority": neutralise(authority.gss_code),
        "month": f"{month:%Y-%m}",
        "indicator": TEMPLATE_VERSION,
        "indicator_name": TEMPLATE_VERSION_NOTE,
        VALUE: version,
    }
    return [cells.get(column) for column in COLUMNS]


def _whole_if_whole(number: float | None) -> int | float | None:
    if number is not None and float(number).is_integer():
        return int(number)
    return number


def csv_template(rows: Iterable[list[Any]]) -> str:
    """The template as CSV, with a byte-order mark so Excel reads it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(cell: Any) -> str:
    if cell is None:
        return ""
    if _is_number(cell):
        return number_text(float(cell))
    return safe_cell(str(cell))


def _is_number(cell: Any) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


GUIDANCE = [
    "How to fill in the monthly return",
    "",
    "Keep the authority, month and indicator columns as they are: they say which figure a row "
    "is for.",
    "For an indicator counted as one number, fill in the value column and leave numerator and "
    "denominator blank.",
    "For a percentage (or the average caseload), fill in the numerator and denominator and leave "
    "value blank: the figure is worked out for you.",
    "Counts are whole numbers. Full-time equivalents (FTE) may have decimals, like 12.5.",
    "Notes are optional, and there are two kinds. internal_note: only people at the authority "
    "and DfE who can see this return will read it; it is never published. published_note: shown "
    "to everyone with the figure once the return is approved, so write nothing in it about "
    "individual children, families or staff.",
    "If a figure moved a lot since last month, say why in the explanation column before the "
    "return is submitted.",
    "A row left completely blank keeps whatever is saved for that indicator.",
    f"Keep the last row ({TEMPLATE_VERSION}) as it is: it says which version of the return "
    "the template was made from. If the return has been saved since, the upload is refused "
    "rather than undo those changes, and you are shown what changed and who changed it.",
    "If any row has a problem, nothing in the file is saved, and every problem is listed by row "
    "and column.",
]


def xlsx_template(rows: Iterable[list[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.value = safe_cell(cell.value)
                cell.data_type = "s"  # never a formula, whatever it starts with
    widths = [12, 10, 28, 60, 10, 12, 14, 40, 40, 40]
    for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guidance = book.create_sheet("Guidance")
    guidance.append([neutralise(title)])
    guidance["A1"].font = Font(bold=True, size=14)
    for line in GUIDANCE:
        guidance.append([line])
    guidance.column_dimensions["A"].width = 110
    for row_cells in guidance.iter_rows():
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading a filled-in file ----------------------------------------------------------------


@dataclass
class RawRow:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict[str, str]


@dataclass
class ReturnFile:
    """What a good file says: indicator code to the text of each field, the indicators whose
    rows were left blank, and the version of the return the template was made from (None for
    a file without it)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    blank: list[str] = field(default_factory=list)
    version: int | None = None


def read_return_file(
    *,
    file_name: str,
    content: bytes,
    authority: Any,
    month: datetime.date,
    indicators: Sequence[IndicatorLike],
    previous: Mapping[str, float | None],
    thresholds: Thresholds,
) -> ReturnFile:
    """Read and check a filled-in template. Raises ImportFailed listing every problem."""
    raw = read_rows(file_name, content)
    errors: list[RowError] = []
    by_code = {indicator.code: indicator for indicator in indicators}
    seen: dict[str, int] = {}
    version_at: int | None = None
    result = ReturnFile()

    def problem(row: int, column: str | None, message: str) -> None:
        errors.append(RowError(file_name, row, column, message))

    for row in raw:
        cells = row.cells
        if not any(cells.values()):
            continue  # a wholly empty line
        gss = cells["authority"].strip().upper()
        if gss != authority.gss_code:
            problem(
                row.number,
                "authority",
                f"{cells['authority'] or 'A blank authority'} is not this return's authority: "
                f"enter {authority.gss_code} ({authority.name})",
            )
        found_month = parse_month(cells["month"])
        if found_month is None:
            problem(
                row.number, "month", f"Enter the month as {month:%Y-%m}, not {cells['month']!r}"
            )
        elif found_month != month:
            problem(
                row.number,
                "month",
                f"{found_month:%B %Y} is not this return's month: enter {month:%Y-%m}",
            )
        code = cells["indicator"].strip()
        if code.lower() == TEMPLATE_VERSION:
            text = cells[VALUE].strip()
            if version_at is not None:
                problem(
                    row.number,
                    "indicator",
                    f"The {TEMPLATE_VERSION} row is in the file twice (rows {version_at} and "
                    f"{row.number}): keep only the one from the template",
                )
            elif is_version(text):
                result.version = int(text)
            elif text:
                problem(
                    row.number,
                    VALUE,
                    f"Keep the {TEMPLATE_VERSION} row as it was in the template: {text!r} is not "
                    "a version of the return. If you are not sure, download a new template",
                )
            version_at = row.number
            continue
        indicator = by_code.get(code)
        if indicator is None:
            problem(
                row.number,
                "indicator",
                f"{code!r} is not an indicator in the monthly return"
                if code
                else "Enter the indicator's code",
            )
            continue
        if code in seen:
            problem(
                row.number,
                "indicator",
                f"{code} is in the file twice (rows {seen[code]} and {row.number})",
            )
            continue
        seen[code] = row.number
        entry = {name: cells[name] for name in ENTRY_COLUMNS}
        if not any(text.strip() for text in entry.values()):
            result.blank.append(code)
            continue
        if is_ratio(indicator) and entry[VALUE].strip():
            problem(
                row.number,
                VALUE,
                f"Leave value blank for {indicator.name}: it is worked out from the numerator "
                "and denominator",
            )
        if not is_ratio(indicator):
            for name in (NUMERATOR, DENOMINATOR):
                if entry[name].strip():
                    problem(
                        row.number,
                        name,
                        f"Leave {name} blank for {indicator.name}: it is a count, entered as "
                        "the value",
                    )
        checked = check_entry(
            indicator, **entry, previous=previous.get(code), thresholds=thresholds
        )
        for error in checked.errors:
            problem(row.number, error.field, error.message)
        result.rows[code] = entry
    if errors:
        raise ImportFailed(errors)
    return result


def is_version(text: str) -> bool:
    """A return's version as written: a whole number small enough for the database."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def parse_month(text: str) -> datetime.date | None:
    text = text.strip()
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%b %Y", "%B %Y", "%b-%y", "%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    return None


def read_rows(file_name: str, content: bytes, limits: UploadLimits | None = None) -> list[RawRow]:
    """The rows of a CSV or Excel file under the template's columns; file-level problems (not
    a CSV or Excel file, empty, wrong columns, over a limit) raise ImportFailed."""
    limits = limits or upload_limits()
    name = file_name.lower()

    def refuse(message: str, row: int | None = None) -> ImportFailed:
        return ImportFailed([RowError(file_name, row, None, message)])

    if not content or not content.strip():
        raise refuse("The file is empty")
    if len(content) > limits.file_bytes:
        raise refuse(f"The file must be smaller than {size_text(limits.file_bytes)}")
    if name.endswith(".csv"):
        lines = _csv_lines(file_name, content)
    elif name.endswith(".xlsx"):
        lines = _xlsx_lines(file_name, content, limits)
    else:
        raise refuse("The file must be a CSV (.csv) or Excel (.xlsx) file made from the template")
    table = _bounded_table(file_name, lines, limits)
    if not table:
        raise refuse("The file is empty")
    header_number, header = table[0][0], [_column_name(cell) for cell in table[0][1]]
    present = Counter(header)
    if OLD_COMMENTARY in header:
        # Not read as either note: it was written to be published, and no longer would be.
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    header_number,
                    OLD_COMMENTARY,
                    "This file is from an older template with one commentary column. Notes are "
                    "now two columns: internal_note (never published) and published_note "
                    "(published with the figure). Download the template again and copy your "
                    "figures and notes into it",
                )
            ]
        )
    errors = [
        RowError(file_name, header_number, column, f"The column {column!r} is missing")
        for column in COLUMNS
        if column not in present
    ]
    errors += [
        RowError(
            file_name,
            header_number,
            column or None,
            f"The column {column!r} is not in the template",
        )
        for column in header
        if column not in COLUMNS
    ]
    errors += [
        RowError(file_name, header_number, column, f"The column {column!r} appears more than once")
        for column in sorted(column for column, count in present.items() if count > 1)
    ]
    if errors:
        raise ImportFailed(errors)
    rows = []
    for number, cells in table[1:]:
        if len(cells) > len(header):
            raise refuse("This row has more cells than the header", number)
        padded = cells + [""] * (len(header) - len(cells))
        rows.append(RawRow(number, {column: restore(padded[i]) for i, column in enumerate(header)}))
    return rows


Table = list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)


def _bounded_table(
    file_name: str, lines: Iterator[tuple[int, list[str]]], limits: UploadLimits
) -> Table:
    """The non-blank rows of ``lines`` (header first), each without its trailing blank cells.
    Stops, refusing the file, at the first limit passed: so reading costs at most ``cells`` cells
    (and one row more), whatever the file says about its size."""

    def refuse(message: str, row: int | None = None) -> ImportFailed:
        return ImportFailed([RowError(file_name, row, None, message)])

    table: Table = []
    cells_read = 0
    for number, cells in lines:
        cells_read += max(1, len(cells))  # a blank line costs something too
        if cells_read > limits.cells:
            raise refuse(f"The file must have {limits.cells:,} cells or fewer")
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        if not width:
            continue
        if width > limits.columns:
            raise refuse(
                f"The file must have {limits.columns:,} columns or fewer: the template has "
                f"{len(COLUMNS)}",
                number,
            )
        if len(table) > limits.rows:  # the header, then this many rows already
            raise refuse(
                f"The file must have {limits.rows:,} rows or fewer, not counting the header"
            )
        table.append((number, cells[:width]))
    return table


def _column_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _csv_lines(file_name: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in content:
        raise ImportFailed(
            [RowError(file_name, None, None, "The file is not a CSV file: save it as CSV")]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    delimiter = ","
    if first_line.count(";") > first_line.count(","):
        delimiter = ";"
    elif first_line.count("\t") > first_line.count(","):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise ImportFailed(
            [RowError(file_name, None, None, f"The file is not a readable CSV file: {error}")]
        ) from None


def _check_workbook(file_name: str, content: bytes, limits: UploadLimits) -> None:
    """Refuse a workbook that would unpack to too much, from its zip directory alone: before
    any part of it is unpacked. (Python's zipfile never unpacks a part beyond the size the
    directory gives it, so these sizes bound what reading it costs.)"""

    def refuse(message: str) -> ImportFailed:
        return ImportFailed([RowError(file_name, None, None, message)])

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(NOT_A_WORKBOOK) from None
    if len(parts) > limits.workbook_parts:
        raise refuse(
            f"The workbook must have {limits.workbook_parts:,} parts or fewer inside it: save "
            "it again as .xlsx from the template"
        )
    if sum(part.file_size for part in parts) > limits.workbook_bytes:
        raise refuse(
            f"The workbook must be smaller than {size_text(limits.workbook_bytes)} when "
            "unpacked: save it again as .xlsx from the template, without pictures or extra sheets"
        )
    for part in parts:
        packed = max(part.compress_size, 1)
        if (
            part.file_size > RATIO_CHECKED_FROM
            and part.file_size > limits.compression_ratio * packed
        ):
            raise refuse(
                f"The workbook cannot be read safely: part of it unpacks to more than "
                f"{limits.compression_ratio:,} times its size. Save it again as .xlsx from the "
                "template"
            )


def _xlsx_lines(
    file_name: str, content: bytes, limits: UploadLimits
) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_workbook(file_name, content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailed([RowError(file_name, None, None, NOT_A_WORKBOOK)]) from None
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        # The size a sheet claims is not trusted: openpyxl would pad every row to it.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except Exception:  # a sheet that cannot be parsed, found as it is read
        raise ImportFailed([RowError(file_name, None, None, NOT_A_WORKBOOK)]) from None
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%Y-%m-%d}"
    if _is_number(value):
        return number_text(float(value))
    return str(value)
