"""Writing a fictional workbook's cells: tidy, or in the untidy ways real extracts do (``_Mess``),
with damage recorded where it was written, and saved as Excel would save it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import numpy as np
from openpyxl import Workbook

from indicators.annex_a.fictional.layout import HEADERS, RENAMED, SHEET_NAMES, FictionalWorkbook

_DATE_FORMULA = re.compile(
    rb"<c r=\"([A-Z]+[0-9]+)\"([^>]*)><f>DATE\((\d+),(\d+),(\d+)\)</f><v ?/></c>"
)
_EPOCH = dt.date(1899, 12, 30)


def _with_result(match: re.Match[bytes]) -> bytes:
    day = dt.date(int(match.group(3)), int(match.group(4)), int(match.group(5)))
    serial = str((day - _EPOCH).days).encode()
    return match.group(0).replace(b"<v/>", b"<v />").replace(b"<v />", b"<v>" + serial + b"</v>")


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def as_saved_by_excel(data: bytes, stamp: dt.date) -> bytes:
    """Make the saved file the same bytes every time (openpyxl stamps the time of saving), and
    give each DATE(y,m,d) formula its result, as Excel saves formulas with results."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = f"{stamp.isoformat()}T00:00:00Z".encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = _DATE_FORMULA.sub(_with_result, content)
            elif item.filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + when + m.group(2), content)
            fixed = zipfile.ZipInfo(
                item.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0)
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def _strip_prefix(text: str) -> str:
    return re.sub(r"^[a-z]{1,2}\)\s*", "", text)


class _Mess:
    """Writes values as an untidy extract would, from its own random stream, so the facts stay
    those of the tidy workbook."""

    def __init__(self, seed: int, messy: bool, damaged: bool) -> None:
        self.rng = np.random.default_rng([seed, 7919])
        self.messy = messy
        self.damaged = damaged

    def value(self, value: object) -> object:
        rng = self.rng
        if not self.messy or value is None:
            return value
        if isinstance(value, dt.date):
            pick = rng.random()
            if pick < 0.55:
                return value
            if pick < 0.68:
                return value.strftime("%d/%m/%Y")
            if pick < 0.76:
                return value.isoformat()
            if pick < 0.84:
                return f"{value.day} {value:%b %Y}"
            if pick < 0.92:
                return float((value - _EPOCH).days)
            return f"=DATE({value.year},{value.month},{value.day})"
        if isinstance(value, str):
            if re.match(r"^[a-z]{1,2}\) ", value) and rng.random() < 0.5:
                value = _strip_prefix(value)
            if rng.random() < 0.05:
                value = value + " "
            return value
        return value


def _write_list(
    workbook: Workbook,
    number: int,
    rows: list[dict[str, object]],
    mess: _Mess,
    found: FictionalWorkbook,
) -> None:
    rng = mess.rng
    headers = list(HEADERS[number])
    if mess.messy:
        # Reordered columns (identifier first, as everyone keeps it), two extra columns, and
        # some headers renamed.
        rest = headers[1:]
        order = rng.permutation(len(rest))
        headers = [headers[0], *(rest[i] for i in order), "Local reference", "Notes"]
    sheet = workbook.create_sheet(
        SHEET_NAMES.get(number, f"List {number}") if mess.messy else f"List {number}"
    )
    line = 1
    if mess.messy and number in (4, 8):
        sheet.append([f"SIMULATED - fictional data - List {number}"])
        line += 1
    written = [RENAMED.get(h, h) if mess.messy else h for h in headers]
    sheet.append(written)
    damage_columns = {
        1: "Date of Contact",
        3: "Date of Referral",
        4: "Continuous Assessment Date of Authorisation",
        7: "Date of the Last Statutory Visit",
        9: "Activity Status",
    }
    damaged_so_far = 0
    count = 0
    for index, row in enumerate(rows):
        values: list[object] = []
        for header in headers:
            if header == "Local reference":
                values.append(f"REF{index:05d}")
            elif header == "Notes":
                values.append(None if rng.random() < 0.8 else "see file")
            else:
                values.append(mess.value(row.get(header)))
        if mess.damaged and damaged_so_far < 3 and number in damage_columns and index % 7 == 3:
            header = damage_columns[number]
            position = headers.index(header)
            if row.get(header) is not None:
                values[position] = (
                    {0: "#N/A", 1: "31/02/2024", 2: '=DATEVALUE("1/1/2024")'}[damaged_so_far]
                    if number != 9
                    else "Z9: Something else"
                )
                found.damaged.setdefault((number, header), []).append(line + 1)
                damaged_so_far += 1
        line += 1
        sheet.append(values)
        count += 1
        if mess.messy and rng.random() < 0.01:
            line += 1
            sheet.append([None] * len(values))  # a blank row
        if mess.messy and rng.random() < 0.01:
            line += 1
            sheet.append(values)  # the same row again, exactly
    found.rows[number] = count
