"""The monthly return as a file: the CSV and Excel templates, and the one importer that reads a
filled-in template back.

The importer reads every row, checks it by the same rules as the form (``validation``) and
reports every problem by row and column (``importing.RowError``); only a file with no problems
is handed on to be saved, in one transaction, by ``services.import_return_upload``.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from authorities.toolkit.csv_safety import restore, safe_cell
from authorities.toolkit.importing import ImportFailed, RowError

from .validation import (
    COMMENTARY,
    DENOMINATOR,
    EXPLANATION,
    NUMERATOR,
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
    COMMENTARY,
    EXPLANATION,
]
ENTRY_COLUMNS = [VALUE, NUMERATOR, DENOMINATOR, COMMENTARY, EXPLANATION]
LARGEST_FILE = 2 * 1024 * 1024
MOST_ROWS = 500
SHEET_NAME = "Return"

# A spreadsheet runs a cell that starts with a formula character as a formula (CSV injection):
# every text cell goes through the one rule in ``csv_safety``, and is restored on the way back in.
neutralise = safe_cell


# --- templates -------------------------------------------------------------------------------


def template_rows(
    authority: Any,
    month: datetime.date,
    indicators: Sequence[IndicatorLike],
    saved: Mapping[str, Any] | None = None,
) -> list[list[Any]]:
    """One row per indicator, pre-filled with the authority, month, indicator and whatever is
    saved already. Numbers stay numbers; every text cell is neutralised."""
    saved = saved or {}
    rows = []
    for indicator in indicators:
        value = saved.get(indicator.code)
        numbers: list[Any] = [None, None, None]
        commentary = explanation = ""
        if value is not None:
            if is_ratio(indicator):
                numbers = [None, value.numerator, value.denominator]
            else:
                numbers = [value.value, None, None]
            commentary, explanation = value.commentary, value.explanation
        rows.append(
            [
                neutralise(authority.gss_code),
                f"{month:%Y-%m}",
                neutralise(indicator.code),
                neutralise(indicator.name),
                *[_whole_if_whole(number) for number in numbers],
                neutralise(commentary),
                neutralise(explanation),
            ]
        )
    return rows


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
    "Commentary is optional. If a figure moved a lot since last month, say why in the "
    "explanation column before the return is submitted.",
    "A row left completely blank keeps whatever is saved for that indicator.",
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
    widths = [12, 10, 28, 60, 10, 12, 14, 40, 40]
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
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
    """What a good file says: indicator code to the text of each field, and the indicators
    whose rows were left blank."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    blank: list[str] = field(default_factory=list)


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


def parse_month(text: str) -> datetime.date | None:
    text = text.strip()
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%b %Y", "%B %Y", "%b-%y", "%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    return None


def read_rows(file_name: str, content: bytes) -> list[RawRow]:
    """The rows of a CSV or Excel file under the template's columns; file-level problems (not
    a CSV or Excel file, empty, wrong columns, too long) raise ImportFailed."""
    name = file_name.lower()
    if not content or not content.strip():
        raise ImportFailed([RowError(file_name, None, None, "The file is empty")])
    if len(content) > LARGEST_FILE:
        raise ImportFailed([RowError(file_name, None, None, "The file must be smaller than 2 MB")])
    if name.endswith(".csv"):
        table = _csv_table(file_name, content)
    elif name.endswith(".xlsx"):
        table = _xlsx_table(file_name, content)
    else:
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    None,
                    None,
                    "The file must be a CSV (.csv) or Excel (.xlsx) file made from the template",
                )
            ]
        )
    table = [(number, cells) for number, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise ImportFailed([RowError(file_name, None, None, "The file is empty")])
    header_number, header_cells = table[0]
    header = [_column_name(cell) for cell in header_cells]
    while header and header[-1] == "":
        header.pop()
    errors = [
        RowError(file_name, header_number, column, f"The column {column!r} is missing")
        for column in COLUMNS
        if column not in header
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
        for column in sorted({c for c in header if header.count(c) > 1})
    ]
    if errors:
        raise ImportFailed(errors)
    if len(table) - 1 > MOST_ROWS:
        raise ImportFailed(
            [RowError(file_name, None, None, f"The file has more than {MOST_ROWS} rows")]
        )
    rows = []
    for number, cells in table[1:]:
        padded = list(cells) + [""] * (len(header) - len(cells))
        extra = [cell for cell in padded[len(header) :] if cell.strip()]
        if extra:
            raise ImportFailed(
                [RowError(file_name, number, None, "This row has more cells than the header")]
            )
        rows.append(RawRow(number, {column: restore(padded[i]) for i, column in enumerate(header)}))
    return rows


def _column_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


Table = list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)


def _csv_table(file_name: str, content: bytes) -> Table:
    if b"\x00" in content:
        raise ImportFailed(
            [RowError(file_name, None, None, "The file is not a CSV file: save it as CSV")]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ","
    if first_line.count(";") > first_line.count(","):
        delimiter = ";"
    elif first_line.count("\t") > first_line.count(","):
        delimiter = "\t"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return list(enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportFailed(
            [RowError(file_name, None, None, f"The file is not a readable CSV file: {error}")]
        ) from None


def _xlsx_table(file_name: str, content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailed(
            [
                RowError(
                    file_name,
                    None,
                    None,
                    "The file is not an Excel (.xlsx) workbook: save it as .xlsx or CSV",
                )
            ]
        ) from None
    try:
        sheet = book[SHEET_NAME] if SHEET_NAME in book.sheetnames else book.worksheets[0]
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
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
