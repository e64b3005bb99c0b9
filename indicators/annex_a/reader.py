"""Read an Annex A workbook (.xlsx bytes, in memory) into the lists the monthly measures need.

The file is never written anywhere. Before anything is parsed, the workbook is checked against
named limits (file size, the uncompressed size of the zip members, rows, columns; see
``container.py``), so a huge or hostile file is refused with a message naming the limit, not
read halfway.

Values are read with python-calamine: on a 107,000-row workbook it pulls every cell in about
1 s where openpyxl's read-only mode takes about 22 s (``bench.compare_readers``). Calamine reads
a spreadsheet error (#N/A) and a formula saved without its value as empty cells, so the sheet's
XML is scanned for those cells first and they are reported as what they are, not as blanks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import python_calamine

from indicators.annex_a import values as v
from indicators.annex_a.container import (
    _DIMENSION,
    DEFAULT_LIMITS,
    MB,
    Limits,
    UnreadableWorkbook,
    WorkbookTooLarge,
    _column_index,
    _count_rows,
    _open_zip,
    _read_member,
    _sheet_paths,
    _too_large,
    _verify_members,
    scan_marked_cells,
)
from indicators.annex_a.quality import (
    Issue,
    IssueKind,
    ListSummary,
    QualityReport,
    first_rows,
    plural,
    rows_phrase,
)
from indicators.annex_a.schema import (
    LISTS,
    READERS,
    Kind,
    ListSpec,
    list_title,
    match_headers,
    sheet_list_number,
)

__all__ = [
    "DEFAULT_LIMITS",
    "MB",
    "AnnexA",
    "Limits",
    "ListData",
    "UnreadableWorkbook",
    "WorkbookTooLarge",
    "read_workbook",
    "scan_marked_cells",
]

HEADER_SEARCH_ROWS = 10  # a title or note above the header row is tolerated


@dataclass
class ListData:
    """One list as read: spreadsheet row numbers, and per column its values and a mask of cells
    that held something unreadable. Rows without a child identifier and exact duplicate rows are
    already left out (and reported)."""

    spec: ListSpec
    sheet: str
    rows: npt.NDArray[np.int64]
    columns: dict[str, np.ndarray]
    bad: dict[str, npt.NDArray[np.bool_]]
    dropped: int = 0  # rows left out for want of a child identifier

    def __len__(self) -> int:
        return len(self.rows)

    def has(self, key: str) -> bool:
        return key in self.columns

    def dates(self, key: str) -> npt.NDArray[np.datetime64]:
        return self.columns[key]


@dataclass
class AnnexA:
    lists: dict[int, ListData]
    quality: QualityReport
    rows_read: int = 0
    sheets: tuple[str, ...] = field(default_factory=tuple)

    def get(self, number: int) -> ListData | None:
        return self.lists.get(number)


# --- reading one list --------------------------------------------------------------------------


def _find_header(
    spec: ListSpec, rows: Iterator[Sequence[object]]
) -> tuple[int, dict[str, int], Sequence[object]] | None:
    """The header row among the first rows: the one naming most of the spec's columns."""
    best: tuple[int, dict[str, int], Sequence[object]] | None = None
    for index, row in enumerate(rows):
        found = match_headers(spec, row)
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found, row)
        if index + 1 >= HEADER_SEARCH_ROWS:
            break
    if best is None or ("child_id" not in best[1] and len(best[1]) < 2):
        return None
    return best


@dataclass
class _Collected:
    rows: list[int]
    cells: dict[str, list[object]]
    blank_rows: list[int]
    duplicates: list[int]


def _collect(
    sheet: python_calamine.CalamineSheet,
    spec: ListSpec,
    marked: dict[tuple[int, int], v.Marker],
    limits: Limits,
) -> tuple[dict[str, int], _Collected] | None:
    column_offset = sheet.start[1] if sheet.start else 0
    iterator: Iterator[Sequence[object]] = iter(sheet.iter_rows())
    head: list[Sequence[object]] = []
    for row in iterator:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header = _find_header(spec, iter(head))
    if header is None:
        return None
    header_index, positions, _ = header
    wanted = list(positions.items())
    collected = _Collected([], {key: [] for key in positions}, [], [])
    seen: set[int] = set()
    marked_columns = {column for _, column in marked}

    def take(index: int, row: Sequence[object]) -> None:
        if not any(c != "" for c in row):
            collected.blank_rows.append(index + 1)
            return
        signature = hash(tuple(row))
        if signature in seen:
            collected.duplicates.append(index + 1)
            return
        seen.add(signature)
        collected.rows.append(index + 1)
        width = len(row)
        for key, position in wanted:
            cell = row[position] if position < width else ""
            if cell == "":
                column = position + column_offset
                if column in marked_columns and (index, column) in marked:
                    cell = marked[(index, column)]
                else:
                    cell = None
            collected.cells[key].append(cell)
        if len(collected.rows) > limits.max_rows_per_list:
            raise _too_large(limits, "max_rows_per_list", f"{spec.title} has more rows than that")

    for index, row in enumerate(head):
        if index > header_index:
            take(index, row)
    for index, row in enumerate(iterator, start=len(head)):
        take(index, row)
    # Blank rows at the very end are just the sheet's used range running on: not worth a word.
    last = collected.rows[-1] if collected.rows else 0
    collected.blank_rows = [r for r in collected.blank_rows if r < last]
    return positions, collected


_PROBLEM_KINDS = {
    v.Problem.ERROR: IssueKind.ERROR_VALUE,
    v.Problem.NO_VALUE: IssueKind.FORMULA_WITHOUT_VALUE,
}
_UNREADABLE_KIND = {
    Kind.DATE: IssueKind.UNREADABLE_DATE,
    Kind.COUNT: IssueKind.UNREADABLE_NUMBER,
}
_WHAT = {
    IssueKind.UNREADABLE_DATE: ("value", "could not be read as a date"),
    IssueKind.UNREADABLE_NUMBER: ("value", "could not be read as a whole number"),
    IssueKind.UNKNOWN_CODE: ("value", "is not a code this column uses"),
    IssueKind.ERROR_VALUE: ("cell", "holds a spreadsheet error such as #N/A"),
    IssueKind.FORMULA_WITHOUT_VALUE: (
        "cell",
        "holds a formula saved without its result (open the file in Excel and save it again)",
    ),
}

# Pairs of dates where the second cannot come before the first.
DATE_ORDER = (
    ("assessment_start", "assessment_authorised"),
    ("strategy_date", "icpc_date"),
    ("cin_start", "cin_closure"),
    ("cp_start", "cp_end"),
    ("cla_start", "cla_end"),
)


def _column_issues(
    spec: ListSpec, key: str, problems: list[v.Problem | None], rows: npt.NDArray[np.int64]
) -> list[Issue]:
    column = spec.column(key)
    grouped: dict[IssueKind, list[int]] = {}
    for i, problem in enumerate(problems):
        if problem is None:
            continue
        kind = _PROBLEM_KINDS.get(problem) or _UNREADABLE_KIND.get(
            column.kind, IssueKind.UNKNOWN_CODE
        )
        grouped.setdefault(kind, []).append(int(rows[i]))
    issues = []
    for kind, where in grouped.items():
        noun, verb = _WHAT[kind]
        count = len(where)
        shown = first_rows(where)
        verb = verb if count == 1 else verb.replace("is not", "are not").replace("holds", "hold")
        issues.append(
            Issue(
                kind,
                spec.number,
                column.header,
                count,
                shown,
                f"{spec.title}, column “{column.header}”: {plural(count, noun)} {verb} "
                f"({rows_phrase(count, shown)}).",
            )
        )
    return issues


def _read_list(
    workbook: python_calamine.CalamineWorkbook,
    sheet_name: str,
    spec: ListSpec,
    marked: dict[tuple[int, int], v.Marker],
    limits: Limits,
) -> tuple[ListData | None, ListSummary, list[Issue]]:
    sheet = workbook.get_sheet_by_name(sheet_name)
    if sheet.width > limits.max_columns:
        raise _too_large(
            limits, "max_columns", f"the sheet for {spec.title} has {sheet.width:,} columns"
        )
    result = _collect(sheet, spec, marked, limits)
    if result is None:
        missing = tuple(c.header for c in spec.columns)
        issue = Issue(
            IssueKind.MISSING_COLUMN,
            spec.number,
            None,
            len(missing),
            (),
            f"{spec.title}: the sheet “{sheet_name}” has no header row naming the list's columns "
            f"(such as “Child Unique ID”), so nothing in it could be read.",
        )
        return None, ListSummary(spec.number, spec.title, sheet_name, 0, (), missing), [issue]
    positions, collected = result
    issues: list[Issue] = []
    missing = tuple(c.header for c in spec.columns if c.key not in positions)
    for header in missing:
        issues.append(
            Issue(
                IssueKind.MISSING_COLUMN,
                spec.number,
                header,
                1,
                (),
                f"{spec.title}: no column like “{header}” was found in the sheet “{sheet_name}”.",
            )
        )
    rows = np.asarray(collected.rows, dtype=np.int64)
    read = {key: READERS[spec.column(key).kind](collected.cells.pop(key)) for key in positions}
    columns: dict[str, np.ndarray] = {key: r.values for key, r in read.items()}
    bad: dict[str, npt.NDArray[np.bool_]] = {key: r.bad for key, r in read.items()}
    keep = np.ones(len(rows), dtype=bool)
    if "child_id" in columns:
        no_id = np.array([x is None for x in columns["child_id"]], dtype=bool) | bad["child_id"]
        if no_id.any():
            count = int(no_id.sum())
            shown = first_rows(rows[no_id])
            issues.append(
                Issue(
                    IssueKind.MISSING_CHILD_ID,
                    spec.number,
                    spec.column("child_id").header,
                    count,
                    shown,
                    f"{spec.title}: {plural(count, 'row')} "
                    f"{'has' if count == 1 else 'have'} no readable child identifier and "
                    f"{'was' if count == 1 else 'were'} left out ({rows_phrase(count, shown)}).",
                )
            )
            keep &= ~no_id
    # Rows left out for want of an identifier are reported once, not again for each column.
    for key, column_read in read.items():
        spec_column = spec.column(key)
        if key != "child_id":
            problems = [p if k else None for p, k in zip(column_read.problem, keep, strict=True)]
            issues.extend(_column_issues(spec, key, problems, rows))
        if spec_column.required and spec_column.kind is Kind.DATE:
            blank = np.isnat(column_read.values) & ~column_read.bad & keep
            if blank.any():
                count = int(blank.sum())
                shown = first_rows(rows[blank])
                issues.append(
                    Issue(
                        IssueKind.BLANK_VALUE,
                        spec.number,
                        spec_column.header,
                        count,
                        shown,
                        f"{spec.title}, column “{spec_column.header}”: "
                        f"{plural(count, 'row')} {'has' if count == 1 else 'have'} no date "
                        f"where one is needed ({rows_phrase(count, shown)}).",
                    )
                )
                bad[key] = bad[key] | blank
    for first, second in DATE_ORDER:
        if first in columns and second in columns:
            a, b = columns[first], columns[second]
            wrong = ~np.isnat(a) & ~np.isnat(b) & (b < a) & keep
            if wrong.any():
                count = int(wrong.sum())
                shown = first_rows(rows[wrong])
                second_header = spec.column(second).header
                issues.append(
                    Issue(
                        IssueKind.DATES_OUT_OF_ORDER,
                        spec.number,
                        second_header,
                        count,
                        shown,
                        f"{spec.title}: {plural(count, 'row')} "
                        f"{'has' if count == 1 else 'have'} a “{second_header}” before the "
                        f"“{spec.column(first).header}”, so "
                        f"{'it was' if count == 1 else 'they were'} not used "
                        f"({rows_phrase(count, shown)}).",
                    )
                )
                bad[second] = bad[second] | wrong
                bad[first] = bad[first] | wrong
    if collected.duplicates:
        count = len(collected.duplicates)
        shown = first_rows(collected.duplicates)
        issues.append(
            Issue(
                IssueKind.DUPLICATE_ROWS,
                spec.number,
                None,
                count,
                shown,
                f"{spec.title}: {plural(count, 'row')} repeated an earlier row exactly and "
                f"{'was' if count == 1 else 'were'} counted once ({rows_phrase(count, shown)}).",
            )
        )
    if collected.blank_rows:
        count = len(collected.blank_rows)
        shown = first_rows(collected.blank_rows)
        issues.append(
            Issue(
                IssueKind.BLANK_ROWS,
                spec.number,
                None,
                count,
                shown,
                f"{spec.title}: {plural(count, 'blank row')} skipped "
                f"({rows_phrase(count, shown)}).",
            )
        )
    data = ListData(
        spec,
        sheet_name,
        rows[keep],
        {k: col[keep] for k, col in columns.items()},
        {k: mask[keep] for k, mask in bad.items()},
        int((~keep).sum()),
    )
    summary = ListSummary(
        spec.number,
        spec.title,
        sheet_name,
        int(keep.sum()),
        tuple(spec.column(k).header for k in positions),
        missing,
    )
    return data, summary, issues


# --- the workbook ------------------------------------------------------------------------------


def read_workbook(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> AnnexA:
    """Read an Annex A workbook held in memory.

    Raises UnreadableWorkbook (or WorkbookTooLarge, naming the limit) only when the file is not
    an .xlsx, is damaged, exceeds a limit, or holds no sheet recognisable as an Annex A list.
    Everything else, however messy, is read as far as it can be and reported in ``quality``.
    """
    archive = _open_zip(data, limits)
    paths = _sheet_paths(archive, limits)
    chosen: dict[int, str] = {}
    issues: list[Issue] = []
    for name in paths:
        number = sheet_list_number(name)
        if number is None:
            continue
        if number in chosen:
            issues.append(
                Issue(
                    IssueKind.DUPLICATE_SHEET,
                    number,
                    None,
                    1,
                    (),
                    f"Two sheets look like {list_title(number)}: “{chosen[number]}” was read "
                    f"and “{name}” was not.",
                )
            )
            continue
        chosen[number] = name
    needed = {n: s for n, s in chosen.items() if n in LISTS}
    if not chosen:
        raise UnreadableWorkbook(
            "No sheet in this workbook is named like an Annex A list (“List 1” to “List 11”), so "
            "it does not look like an Annex A workbook. Check the sheet names and upload again."
        )
    if not needed:
        raise UnreadableWorkbook(
            "This workbook holds only Annex A lists that no monthly measure uses (lists 2, 10 "
            "and 11). Upload the workbook with lists 1 and 3 to 9."
        )

    total_rows = 0
    marked_by_sheet: dict[str, dict[tuple[int, int], v.Marker]] = {}
    for number, name in sorted(needed.items()):
        xml = _read_member(archive, paths[name], limits)
        rows = _count_rows(xml) - 1  # less the header row
        if rows > limits.max_rows_per_list:
            raise _too_large(limits, "max_rows_per_list", f"{list_title(number)} has {rows:,} rows")
        total_rows += rows
        if total_rows > limits.max_rows_total:
            raise _too_large(
                limits, "max_rows_total", f"the lists hold more than {total_rows:,} rows"
            )
        dimension = _DIMENSION.search(xml, 0, 4096)
        if dimension and dimension.group(1):
            width = _column_index(dimension.group(1)) + 1
            if width > limits.max_columns:
                raise _too_large(
                    limits,
                    "max_columns",
                    f"the sheet for {list_title(number)} has {width:,} columns",
                )
        marked_by_sheet[name] = scan_marked_cells(xml)
        del xml
    _verify_members(archive, {paths[name] for name in needed.values()}, limits)

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError as exc:  # pragma: no cover - caught by the checks above
        raise UnreadableWorkbook(
            "This workbook could not be read. Save it again from Excel and upload the new copy."
        ) from exc

    lists: dict[int, ListData] = {}
    summaries: list[ListSummary] = []
    for number, spec in sorted(LISTS.items()):
        sheet_name = needed.get(number)
        if sheet_name is None:
            summaries.append(
                ListSummary(number, spec.title, None, 0, (), tuple(c.header for c in spec.columns))
            )
            issues.append(
                Issue(
                    IssueKind.MISSING_LIST,
                    number,
                    None,
                    1,
                    (),
                    f"{spec.title} is not in the workbook (no sheet named like “List {number}”).",
                )
            )
            continue
        try:
            data_, summary, found = _read_list(
                workbook, sheet_name, spec, marked_by_sheet[sheet_name], limits
            )
        except python_calamine.CalamineError as exc:
            raise UnreadableWorkbook(
                f"The sheet for {spec.title} could not be read: the file looks damaged. Save it "
                "again from Excel and upload the new copy."
            ) from exc
        summaries.append(summary)
        issues.extend(found)
        if data_ is not None:
            lists[number] = data_
    workbook.close()
    report = QualityReport(tuple(summaries), tuple(issues))
    return AnnexA(lists, report, sum(len(x) for x in lists.values()), tuple(paths))
