"""What could not be read in an Annex A workbook, said plainly.

Every issue names the list and column, how many cells or rows, and the first few spreadsheet row
numbers, so a data officer can find them. An issue never carries a cell's value: not a child's
identifier, not a date, not a name, not even an unrecognised code (it might be a name typed in
the wrong column).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

ROWS_SHOWN = 5  # how many row numbers an issue lists


class IssueKind(StrEnum):
    MISSING_LIST = "missing_list"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_SHEET = "duplicate_sheet"
    UNREADABLE_DATE = "unreadable_date"
    BLANK_VALUE = "blank_value"
    UNREADABLE_NUMBER = "unreadable_number"
    UNKNOWN_CODE = "unknown_code"
    ERROR_VALUE = "error_value"
    FORMULA_WITHOUT_VALUE = "formula_without_value"
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    MISSING_CHILD_ID = "missing_child_id"
    DUPLICATE_ROWS = "duplicate_rows"
    OUTSIDE_PERIOD = "outside_period"
    BLANK_ROWS = "blank_rows"


# Issues that only say what was skipped, with no effect on any figure.
INFORMATION_ONLY = {IssueKind.BLANK_ROWS}


@dataclass(frozen=True)
class Issue:
    kind: IssueKind
    list_number: int | None
    column: str | None  # the column's standard header, as Ofsted's template names it
    count: int
    rows: tuple[int, ...]  # the first few spreadsheet row numbers (1 = the first row)
    message: str
    measures: tuple[str, ...] = ()  # codes of the measures that read what this is about
    stops: tuple[str, ...] = ()  # of those, the ones that could not be computed because of it

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "list": self.list_number,
            "column": self.column,
            "count": self.count,
            "rows": list(self.rows),
            "message": self.message,
            "measures": list(self.measures),
            "stops": list(self.stops),
        }


def first_rows(rows: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(int(r) for r in rows)[:ROWS_SHOWN])


def rows_phrase(count: int, rows: Sequence[int]) -> str:
    """'row 7', 'rows 7, 9 and 12', 'rows 7, 9, 12, 15, 20 and 3 more'."""
    shown = [str(r) for r in rows]
    if not shown:
        return ""
    more = count - len(shown)
    if len(shown) == 1 and more <= 0:
        return f"row {shown[0]}"
    if more > 0:
        return f"rows {', '.join(shown)} and {more} more"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


@dataclass(frozen=True)
class ListSummary:
    number: int
    title: str
    sheet: str | None  # the sheet it was read from; None when the workbook has no such list
    rows: int  # data rows read (blank rows not counted)
    columns_found: tuple[str, ...]
    columns_missing: tuple[str, ...]


@dataclass(frozen=True)
class QualityReport:
    lists: tuple[ListSummary, ...]
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def problems(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.kind not in INFORMATION_ONLY)

    def for_list(self, number: int) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.list_number == number)

    def of_kind(self, kind: IssueKind) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.kind == kind)

    def with_issues(self, extra: Iterable[Issue]) -> QualityReport:
        return replace(self, issues=(*self.issues, *extra))

    def as_dict(self) -> dict[str, object]:
        return {
            "lists": [
                {
                    "list": s.number,
                    "title": s.title,
                    "sheet": s.sheet,
                    "rows": s.rows,
                    "columns_found": list(s.columns_found),
                    "columns_missing": list(s.columns_missing),
                }
                for s in self.lists
            ],
            "issues": [i.as_dict() for i in self.issues],
        }
