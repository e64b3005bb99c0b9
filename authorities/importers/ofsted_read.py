"""Read Ofsted's inspection outcomes workbooks (``ofsted_layout``) into plain records, with every
problem by sheet, row and column. No database access: ``ofsted_write`` finds the authorities
and stores the inspections."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from authorities.models import (
    GRADE_ORDER,
    Grade,
    InspectionKind,
)
from authorities.toolkit.importing import (
    RowError,
    cell_date,
    cell_text,
    normalise_header,
)

from .ofsted_layout import (
    BLANK_MARKS,
    CODE,
    GRADE_WORDS,
    HEADER_SEARCH_ROWS,
    HISTORY_GROUPS,
    HISTORY_NAME,
    HISTORY_REGION,
    HISTORY_SHEET,
    HISTORY_TYPE,
    INSPECTION_TYPES,
    NAME,
    OUTCOME_SHEETS,
    OUTCOME_SUB_JUDGEMENTS,
    OVERALL,
    PUBLISHED,
    REGION_COLUMNS,
    ColumnGroup,
)

# --- parsing: workbook rows to plain records ---------------------------------------------------


@dataclass
class ParsedInspection:
    """One inspection as a workbook row gives it, before its authority is looked up."""

    file: str  # where, for error messages: "<file> (sheet <sheet>)"
    row: int
    code: str  # GSS or DfE code ('' in the history workbook)
    name: str
    name_column: str
    code_column: str
    authority_type: str
    region: str
    predecessor: bool  # from the history workbook's table of abolished authorities
    framework: str
    kind: str
    start_date: datetime.date
    published_date: datetime.date | None
    overall_grade: str
    sub_judgements: dict[str, str]
    source: str
    dated: bool  # True: start date known; False: publication date only
    precedence: int = 0


@dataclass
class ParsedWorkbook:
    file: str
    inspections: list[ParsedInspection] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_workbook(path: Path) -> ParsedWorkbook:
    """Read one Ofsted workbook into plain records and errors; no database access."""
    path = Path(path)
    parsed = ParsedWorkbook(path.name)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet_names = list(workbook.sheet_names)
    except Exception as error:  # calamine has its own error types for zips, XML, formats
        parsed.errors.append(
            RowError(path.name, None, None, f"cannot read the workbook ({error}): is it complete?")
        )
        return parsed
    outcome_sheets = [name for name in OUTCOME_SHEETS if name in sheet_names]
    history_sheets = [name for name in sheet_names if HISTORY_SHEET.match(name)]
    if not outcome_sheets and not history_sheets:
        expected = ", ".join([*OUTCOME_SHEETS, "LA_inspections_YYYY-YYYY"])
        found = ", ".join(sheet_names) or "none"
        parsed.errors.append(
            RowError(
                path.name, None, None, f"none of the expected sheets ({expected}); found {found}"
            )
        )
        return parsed

    def rows_of(sheet: str) -> list[list[Any]] | None:
        try:
            return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as error:
            parsed.errors.append(
                RowError(f"{path.name} (sheet {sheet})", None, None, f"cannot read: {error}")
            )
            return None

    outcomes = {sheet: rows for sheet in outcome_sheets if (rows := rows_of(sheet)) is not None}
    if outcomes:
        _parse_outcomes(path.name, outcomes, parsed)
    for sheet in history_sheets:
        rows = rows_of(sheet)
        if rows is not None:
            _parse_history(path.name, sheet, rows, parsed)
    return parsed


def _text(row: list[Any], index: int) -> str:
    return cell_text(row[index]) if index < len(row) else ""


def _cell(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


def _words(value: str) -> str:
    return " ".join(value.split())


def _grade(value: str) -> str | None:
    """The Grade value for published words; '' for blank; None if the words are unknown."""
    words = _words(value)
    if words in BLANK_MARKS:
        return ""
    return GRADE_WORDS.get(words.lower())


def _worst(grades: list[str]) -> str:
    graded = [grade for grade in grades if grade]
    return max(graded, key=lambda grade: GRADE_ORDER[Grade(grade)]) if graded else ""


def _find_header(rows: list[list[Any]], first: str) -> int | None:
    key = normalise_header(first)
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if key in {normalise_header(cell) for cell in row}:
            return number
    return None


def _parse_outcomes(file: str, sheets: dict[str, list[list[Any]]], parsed: ParsedWorkbook) -> None:
    records: list[ParsedInspection] = []
    untyped: list[tuple[ParsedInspection, str]] = []
    for sheet, rows in sheets.items():
        spec = OUTCOME_SHEETS[sheet]
        where = f"{file} (sheet {sheet})"
        header_index = _find_header(rows, CODE)
        if header_index is None:
            parsed.errors.append(
                RowError(where, 3, CODE, f"no header row with {CODE!r} in the first rows")
            )
            continue
        header = [normalise_header(cell) for cell in rows[header_index]]
        required = [CODE, NAME, spec.date_column, PUBLISHED, OVERALL, *OUTCOME_SUB_JUDGEMENTS]
        if spec.type_column:
            required.append(spec.type_column)
        missing = [column for column in required if normalise_header(column) not in header]
        if missing:
            parsed.errors.extend(
                RowError(where, header_index + 1, column, "required column is missing")
                for column in missing
            )
            continue
        index = {column: header.index(normalise_header(column)) for column in required}
        region_index = next(
            (
                header.index(normalise_header(c))
                for c in REGION_COLUMNS
                if normalise_header(c) in header
            ),
            None,
        )
        for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            code = _text(row, index[CODE])
            name = _text(row, index[NAME])
            if not code and not name:
                if any(cell_text(cell) for cell in row[1:]):
                    parsed.errors.append(
                        RowError(where, number, CODE, "no local authority code or name")
                    )
                continue
            errors: list[RowError] = []
            start = cell_date(_cell(row, index[spec.date_column]))
            if start is None:
                raw = _text(row, index[spec.date_column])
                message = f"{raw!r} is not a date" if raw else "no inspection date"
                errors.append(RowError(where, number, spec.date_column, message))
            published = None
            if _text(row, index[PUBLISHED]):
                published = cell_date(_cell(row, index[PUBLISHED]))
                if published is None:
                    raw = _text(row, index[PUBLISHED])
                    errors.append(RowError(where, number, PUBLISHED, f"{raw!r} is not a date"))
            framework, kind = "", ""
            if spec.type_column:
                words = _text(row, index[spec.type_column])
                found = INSPECTION_TYPES.get(normalise_header(words))
                if found is None:
                    known = ", ".join(repr(k) for k in INSPECTION_TYPES)
                    message = f"unknown inspection type {words!r} (expected one of {known})"
                    errors.append(RowError(where, number, spec.type_column, message))
                else:
                    framework, kind = found
            overall = _grade(_text(row, index[OVERALL]))
            if overall is None:
                errors.append(_grade_error(where, number, OVERALL, _text(row, index[OVERALL])))
            subs: dict[str, str] = {}
            for column in OUTCOME_SUB_JUDGEMENTS:
                words = _text(row, index[column])
                grade = _grade(words)
                if grade is None:
                    errors.append(_grade_error(where, number, column, words))
                elif grade:
                    subs[column] = _words(words)
            if errors or start is None:
                parsed.errors.extend(errors)
                continue
            record = ParsedInspection(
                file=where,
                row=number,
                code=code,
                name=name,
                name_column=NAME,
                code_column=CODE,
                authority_type="",
                region=_text(row, region_index) if region_index is not None else "",
                predecessor=False,
                framework=framework,
                kind=kind,
                start_date=start,
                published_date=published,
                overall_grade=overall or "",
                sub_judgements=subs,
                source=f"{file} / {sheet}",
                dated=True,
                precedence=spec.precedence,
            )
            if spec.type_column:
                records.append(record)
            else:
                untyped.append((record, spec.date_column))
    # The latest-judgement sheet has no type column: the same inspection elsewhere says its kind.
    kinds = {(r.code, r.start_date): (r.framework, r.kind) for r in reversed(records)}
    for record, date_column in untyped:
        kind_found = kinds.get((record.code, record.start_date))
        if kind_found is None:
            message = (
                "no inspection of this authority on this date in ILACS_inspection_history or "
                "In-year_inspections to say what kind of inspection it was"
            )
            parsed.errors.append(RowError(record.file, record.row, date_column, message))
            continue
        record.framework, record.kind = kind_found
        records.append(record)
    parsed.inspections.extend(records)


def _grade_error(where: str, row: int, column: str, words: str) -> RowError:
    known = ", ".join(repr(w.capitalize()) for w in GRADE_WORDS)
    return RowError(where, row, column, f"unknown judgement {words!r} (expected one of {known})")


def _parse_history(file: str, sheet: str, rows: list[list[Any]], parsed: ParsedWorkbook) -> None:
    where = f"{file} (sheet {sheet})"
    headers = []
    for number, row in enumerate(rows):
        cells = {normalise_header(cell) for cell in row}
        if HISTORY_NAME in cells and HISTORY_TYPE in cells:
            headers.append(number)
    if not headers:
        parsed.errors.append(
            RowError(
                where,
                None,
                None,
                "no table header with 'Local authority name' and 'LA Authority Type'",
            )
        )
        return
    for table, header_index in enumerate(headers):
        end = headers[table + 1] if table + 1 < len(headers) else len(rows)
        header = [normalise_header(cell) for cell in rows[header_index]]
        display = {normalise_header(cell): _words(cell_text(cell)) for cell in rows[header_index]}
        groups = [group for group in HISTORY_GROUPS if group.date in header]
        if not groups:
            parsed.errors.append(
                RowError(
                    where,
                    header_index + 1,
                    None,
                    "no inspection columns (such as 'First ILACS framework publication date')",
                )
            )
            continue
        missing = [c for group in groups for c in group.columns if c not in header]
        if missing:
            parsed.errors.extend(
                RowError(where, header_index + 1, column, "required column is missing")
                for column in missing
            )
            continue
        index = {column: header.index(column) for g in groups for column in g.columns}
        name_index = header.index(HISTORY_NAME)
        type_index = header.index(HISTORY_TYPE)
        region_index = header.index(HISTORY_REGION) if HISTORY_REGION in header else None
        for number, row in enumerate(rows[header_index + 1 : end], start=header_index + 2):
            name = _text(row, name_index)
            if not name:
                # Blank rows and a title row (text in the first column only) separate tables.
                if any(_text(row, i) not in BLANK_MARKS for i in index.values()):
                    parsed.errors.append(
                        RowError(where, number, display[HISTORY_NAME], "no local authority name")
                    )
                continue
            found: dict[tuple[str, str, datetime.date], ParsedInspection] = {}
            for group in groups:
                record = _history_record(where, number, row, group, index, display, parsed.errors)
                if record is None:
                    continue
                record.name = name
                record.name_column = display[HISTORY_NAME]
                record.authority_type = _text(row, type_index)
                record.region = _text(row, region_index) if region_index is not None else ""
                record.predecessor = table > 0
                record.source = f"{file} / {sheet} / {group.label}"
                key = (record.framework, record.kind, record.start_date)
                if key in found:  # two re-inspections published the same day: one inspection
                    first = found[key]
                    first.sub_judgements.update(record.sub_judgements)
                    first.overall_grade = _worst([first.overall_grade, record.overall_grade])
                    first.source = f"{first.source} + {group.label}"
                else:
                    found[key] = record
            parsed.inspections.extend(found.values())


def _history_record(
    where: str,
    number: int,
    row: list[Any],
    group: ColumnGroup,
    index: dict[str, int],
    display: dict[str, str],
    errors: list[RowError],
) -> ParsedInspection | None:
    date_text = _text(row, index[group.date])
    if date_text in BLANK_MARKS:
        for column in group.columns:
            if _text(row, index[column]) not in BLANK_MARKS:
                message = f"a judgement with no {display[group.date]!r}"
                errors.append(RowError(where, number, display[column], message))
                break
        return None
    count = len(errors)
    published = cell_date(_cell(row, index[group.date]))
    if published is None:
        errors.append(RowError(where, number, display[group.date], f"{date_text!r} is not a date"))
    framework, kind = group.framework, InspectionKind.FULL
    if group.type_column:
        words = _text(row, index[group.type_column])
        found = INSPECTION_TYPES.get(normalise_header(words))
        if found is None:
            known = ", ".join(repr(k) for k in INSPECTION_TYPES)
            message = f"unknown inspection type {words!r} (expected one of {known})"
            errors.append(RowError(where, number, display[group.type_column], message))
        else:
            framework, kind = found
    subs: dict[str, str] = {}
    grades: list[str] = []
    for column, judgement in group.sub_judgements:
        words = _text(row, index[column])
        grade = _grade(words)
        if grade is None:
            errors.append(_grade_error(where, number, display[column], words))
        elif grade:
            subs[judgement] = _words(words)
            grades.append(grade)
    if group.overall:
        overall = _grade(_text(row, index[group.overall]))
        if overall is None:
            column = display[group.overall]
            errors.append(_grade_error(where, number, column, _text(row, index[group.overall])))
    else:
        overall = _worst(grades)
    if len(errors) > count or published is None:
        return None
    return ParsedInspection(
        file=where,
        row=number,
        code="",
        name="",
        name_column="",
        code_column="",
        authority_type="",
        region="",
        predecessor=False,
        framework=framework,
        kind=kind,
        start_date=published,
        published_date=published,
        overall_grade=overall or "",
        sub_judgements=subs,
        source="",
        dated=False,
    )
