"""Small hand-made Annex A workbooks for the tests: each test writes only the rows it needs."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from indicators.annex_a import AnnexA, read_workbook

D = dt.date

HEADERS = {
    1: ["Child Unique ID", "Gender", "Date of Birth", "Date of Contact", "Contact Source"],
    3: [
        "Child Unique ID",
        "Date of Birth",
        "Date of Referral",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ],
    4: [
        "Child Unique ID",
        "Continuous Assessment Start Date",
        "Continuous Assessment Date of Authorisation",
        "Allocated Team",
        "Allocated Worker",
    ],
    5: [
        "Child Unique ID",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Date of Initial Child Protection Conference",
    ],
    6: [
        "Child Unique ID",
        "CIN Start Date",
        "CIN Closure Date",
        "Allocated Team",
        "Allocated Worker",
    ],
    7: [
        "Child Unique ID",
        "Child Protection Plan Start Date",
        "Date of the Last Statutory Visit",
        "Child Protection Plan End Date",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    ],
    8: [
        "Child Unique ID",
        "Date Started to be Looked After",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "Date Ceased to be Looked After",
        "Allocated Team",
        "Allocated Worker",
    ],
    9: [
        "Child Unique ID",
        "Allocated Team",
        "Allocated Worker",
        "LA in Touch",
        "Suitability of Accommodation",
        "Activity Status",
    ],
}


def xlsx(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """A workbook with one sheet per entry, rows written as given (the first is the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lists(**rows: Iterable[Sequence[object]]) -> bytes:
    """Standard sheets from keyword arguments list1=[...], list7=[...]: standard headers, then
    the rows given (as many columns as the header, in its order)."""
    sheets = {}
    for key, data in rows.items():
        number = int(key.removeprefix("list"))
        sheets[f"List {number}"] = [HEADERS[number], *data]
    return xlsx(sheets)


def read(**rows: Iterable[Sequence[object]]) -> AnnexA:
    return read_workbook(lists(**rows))


def contacts_through(first: dt.date, last: dt.date) -> list[list[object]]:
    """A contact on each of two days, which sets the workbook's period to run from ``first`` to
    ``last`` (lists 1, 3 and 5 mark the period out)."""
    return [
        ["P-1", "a) Male", None, first, "q) 6: Police"],
        ["P-2", "Female", None, last, "Police"],
    ]
