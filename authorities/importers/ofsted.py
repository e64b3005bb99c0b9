"""Import Ofsted's local authority inspection outcomes into ``Inspection`` rows.

Two published layouts are read, told apart by their sheet names:

* **Outcomes** (``LA_Inspection_Outcomes_as_at_31_March_2025.ods``): three tables whose header is
  on row 3. ``ILACS_inspection_history`` (every ILACS standard and short inspection since 2018),
  ``In-year_inspections`` (the year's inspections, focused visits and monitoring visits) and
  ``Inspections_as_at_31_March`` (each authority's latest judgement; it has no type column, so its
  kind comes from the other two sheets). Authorities are identified by GSS code; each inspection
  has its start ("Inspection date") and publication dates.
* **History** (``Childrens_social_care_in_England_2023_underlying_data.ods``, sheet
  ``LA_inspections_2009-2023``): one row per authority, one group of columns per inspection (SLAC,
  SLAC re-inspections, CPI, CPRI, TLAC, first SIF, SIF re-inspection, first and second ILACS); a
  second table further down holds the authorities abolished by reorganisation. Authorities are
  identified by name and type only, and inspections by their **publication date only**.

Decisions:

* ``overall_grade`` is a ``Grade`` value; ``sub_judgements`` keeps the published judgement names
  and words. SLAC published two overall judgements (safeguarding, and looked after children) and
  no single one: ``overall_grade`` is the worse of the two and both are kept as sub-judgements. A
  SLAC re-inspection of safeguarding and one of looked-after services published on the same day
  are one inspection. TLAC (targeted looked after children) inspections belong to none of the four
  frameworks and are stored as ``OTHER``. The LSCB judgement published with a first SIF is one of
  its sub-judgements. Ofsted's placeholder " -" counts as blank. Visit themes (focused and
  monitoring visits) are not judgements and are not stored.
* Where only a publication date is known (the history workbook), ``start_date`` is that date: the
  latest the inspection can have started. ``end_date`` is never published and stays empty.
* An ILACS inspection in both workbooks is stored once, as the outcomes workbook has it: it gives
  the start date and is the later, corrected publication. Two rows are the same inspection when
  they are graded ILACS inspections of the same authority published at most
  ``SAME_INSPECTION_DAYS`` apart (one authority's graded inspections are years apart). The
  workbooks disagree on two: Merton 2022 (history: standard; outcomes: short) and Nottingham 2022
  (published 5 November against 5 September); the report of the import names each such case.
  The result does not depend on which workbook is imported first: a row from the history workbook
  is replaced in place when the outcomes workbook arrives, and skipped when it comes second.
* Authorities are found by GSS code, then DfE code, then by normalised name (for the history
  workbook, its "LA Authority Type" tells the old county Dorset from the unitary one). One missing
  from the database is created from the outcomes workbook, which gives its GSS code and name
  (neither workbook gives DfE codes; the EES importer has those). The history workbook gives no
  code, so a name in it that matches no authority is an error.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from django.db import transaction

from authorities.models import (
    GRADE_ORDER,
    Authority,
    Framework,
    Grade,
    Inspection,
    InspectionKind,
    Region,
)
from authorities.toolkit.gss import is_authority_code, is_dfe_code, is_english_code
from authorities.toolkit.importing import (
    AuthorityIndex,
    ImportFailed,
    ImportReport,
    RowError,
    cell_date,
    cell_text,
    normalise_header,
)

# Two graded ILACS inspections of one authority published this close together are one inspection.
SAME_INSPECTION_DAYS = 92

GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
}
BLANK_MARKS = {"", "-", "\u2013"}

INSPECTION_TYPES = {
    "ilacs standard inspection": (Framework.ILACS, InspectionKind.FULL),
    "ilacs short inspection": (Framework.ILACS, InspectionKind.SHORT),
    "ilacs focused visit": (Framework.ILACS, InspectionKind.FOCUSED_VISIT),
    "ilacs monitoring visit": (Framework.ILACS, InspectionKind.MONITORING_VISIT),
    "la monitoring visit": (Framework.ILACS, InspectionKind.MONITORING_VISIT),
}
GRADED_KINDS = {InspectionKind.FULL, InspectionKind.SHORT}

# --- the outcomes workbook ---------------------------------------------------------------------

CODE = "Local authority area code"
NAME = "Local authority name"
PUBLISHED = "Publication date"
OVERALL = "Overall effectiveness"
REGION_COLUMNS = ("Ofsted region", "Region")
OUTCOME_SUB_JUDGEMENTS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)


@dataclass(frozen=True)
class OutcomeSheet:
    date_column: str
    type_column: str | None
    precedence: int  # where one inspection is in several sheets, the lowest is its source


OUTCOME_SHEETS = {
    "ILACS_inspection_history": OutcomeSheet("Inspection date", "Inspection type", 0),
    "In-year_inspections": OutcomeSheet("Inspection/Visit date", "Inspection/Visit type", 1),
    "Inspections_as_at_31_March": OutcomeSheet("Inspection date", None, 2),
}
HEADER_SEARCH_ROWS = 10  # the header is row 3; look a little further in case a title row is added

# --- the history workbook ----------------------------------------------------------------------

HISTORY_SHEET = re.compile(r"^LA_inspections_\d{4}-\d{4}$")
HISTORY_NAME = "local authority name"
HISTORY_TYPE = "la authority type"
HISTORY_REGION = "la region"
# "LA Authority Type" → the GSS prefix of that kind of authority.
TYPE_PREFIXES = {
    "london borough": "E09",
    "metropolitan district": "E08",
    "unitary": "E06",
    "shire county": "E10",
}
ILACS_LEADERS = "The impact of leaders on social work practice with children and families"
ILACS_HELP = "The experiences and progress of children who need help and protection"


@dataclass(frozen=True)
class ColumnGroup:
    """The columns of one inspection in the history workbook (header text normalised)."""

    label: str
    framework: str
    date: str
    overall: str | None  # None: the worse of the sub-judgements
    sub_judgements: tuple[tuple[str, str], ...]  # (column, published judgement name)
    type_column: str | None = None

    @property
    def columns(self) -> list[str]:
        columns = [self.date, *(column for column, _ in self.sub_judgements)]
        if self.overall:
            columns.append(self.overall)
        if self.type_column:
            columns.append(self.type_column)
        return columns


def _sif(label: str, prefix: str, date: str, lscb: bool) -> ColumnGroup:
    subs = [
        (
            f"{prefix} children who need help and protection",
            "Children who need help and protection",
        ),
        (
            f"{prefix} children looked after and achieving permanence",
            "Children looked after and achieving permanence",
        ),
        (f"{prefix} cla sub: adoption performance", "Adoption performance"),
        (
            f"{prefix} cla sub: experiences and progress of care leavers",
            "Experiences and progress of care leavers",
        ),
        (
            f"{prefix} leadership, management and governance",
            "Leadership, management and governance",
        ),
    ]
    if lscb:
        subs.append(("lscb overall effectiveness", "LSCB overall effectiveness"))
    return ColumnGroup(label, Framework.SIF, date, f"{prefix} overall judgement (oe)", tuple(subs))


def _ilacs(label: str, prefix: str, care_leavers_apart: bool) -> ColumnGroup:
    subs = [
        (f"{prefix} impact of leaders", ILACS_LEADERS),
        (f"{prefix} experiences and progress of children who need help and protection", ILACS_HELP),
    ]
    if care_leavers_apart:
        subs += [
            (
                f"{prefix} experiences and progress of children in care",
                "The experiences and progress of children in care",
            ),
            (
                f"{prefix} experiences and progress of care leavers",
                "The experiences and progress of care leavers",
            ),
        ]
    else:
        subs.append(
            (
                f"{prefix} experiences and progress of children in care and care leavers",
                "The experiences and progress of children in care and care leavers",
            )
        )
    return ColumnGroup(
        label,
        Framework.ILACS,
        f"{prefix} publication date",
        f"{prefix} overall effectiveness",
        tuple(subs),
        type_column=f"{prefix} inspection type",
    )


SAFEGUARDING_OE = "Safeguarding overall effectiveness"
LOOKED_AFTER_OE = "Looked after children overall effectiveness"
HISTORY_GROUPS = (
    ColumnGroup(
        "SLAC",
        Framework.SLAC,
        "safeguarding & looked after children (slac) inspection publication date",
        None,
        (
            ("slac safeguarding overall effectiveness (oe)", SAFEGUARDING_OE),
            ("slac looked after children overall effectiveness (oe)", LOOKED_AFTER_OE),
        ),
    ),
    ColumnGroup(
        "SLAC re-inspection of safeguarding",
        Framework.SLAC,
        "slac re-inspection of safeguarding publication date",
        None,
        (("slac re-inspection safeguarding oe", SAFEGUARDING_OE),),
    ),
    ColumnGroup(
        "SLAC re-inspection of services for children looked after",
        Framework.SLAC,
        "slac re-inspection of services for children looked after publication date",
        None,
        (("slac re-inspection of services children looked after oe", LOOKED_AFTER_OE),),
    ),
    ColumnGroup(
        "CPI",
        Framework.CPI,
        "child protection inspections (cpi) publication date",
        "cpi overall effectiveness (oe)",
        (),
    ),
    ColumnGroup(
        "CPRI",
        Framework.CPI,
        "child protection re-inspection (cpri) publication date",
        "cpri overall effectiveness (oe)",
        (),
    ),
    ColumnGroup(
        "TLAC",
        Framework.OTHER,
        "targeted looked after children (tlac) inspection publication date",
        "tlac overall effectiveness (oe)",
        (),
    ),
    _sif(
        "First SIF",
        "first sif",
        "single inspection of la children's services (sif) first sif publication date",
        lscb=True,
    ),
    _sif(
        "SIF re-inspection",
        "sif re-inspection",
        "single inspection of la children's services (sif) sif re-inspection publication date",
        lscb=False,
    ),
    _ilacs("First ILACS", "first ilacs framework", care_leavers_apart=False),
    _ilacs("Second ILACS", "second ilacs framework", care_leavers_apart=True),
    _ilacs("ILACS", "ilacs framework", care_leavers_apart=False),
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


# --- finding authorities -----------------------------------------------------------------------


class _Resolver:
    def __init__(self, index: AuthorityIndex, regions: dict[str, Region]):
        self.index = index
        self.regions = regions
        self.created: list[Authority] = []
        self.errors: list[RowError] = []
        self._cache: dict[tuple[str, str, str, bool], Authority | tuple[str, str]] = {}
        self._reported: set[tuple[str, int]] = set()

    def resolve(self, item: ParsedInspection) -> Authority | None:
        key = (item.code, item.name.lower(), item.authority_type.lower(), item.predecessor)
        if key not in self._cache:
            self._cache[key] = self._find(item)
        found = self._cache[key]
        if isinstance(found, Authority):
            return found
        column, message = found
        if (item.file, item.row) not in self._reported:
            self._reported.add((item.file, item.row))
            self.errors.append(RowError(item.file, item.row, column, message))
        return None

    def _find(self, item: ParsedInspection) -> Authority | tuple[str, str]:
        code, name = item.code, item.name
        if code:
            if is_english_code(code):
                if code in self.index.by_gss:
                    return self.index.by_gss[code]
                # A recoded authority (Barnsley E08000016 is E08000038 in later EES files).
                same_kind = [a for a in self.index.named(name) if a.gss_code[:3] == code[:3]]
                chosen = _best(same_kind, lambda a: (a.active_to is None, bool(a.dfe_code)))
                if isinstance(chosen, Authority):
                    return chosen
                if chosen:
                    codes = ", ".join(a.gss_code for a in chosen)
                    return item.code_column, (
                        f"{code} is not in the database and {name!r} matches several "
                        f"authorities ({codes})"
                    )
                if not is_authority_code(code):
                    return item.code_column, (
                        f"{code} is not the GSS code of an authority with children's services "
                        "(E06, E08, E09 or E10)"
                    )
                authority = Authority(
                    gss_code=code,
                    name=name or code,
                    region=self.regions.get(normalise_header(item.region)),
                )
                self.index.add(authority)
                self.created.append(authority)
                return authority
            if is_dfe_code(code):
                if code in self.index.by_dfe:
                    return self.index.by_dfe[code]
                return item.code_column, (
                    f"no authority has DfE code {code} and a DfE code is not enough to create one "
                    "(it needs a GSS code): import the EES files first"
                )
            return item.code_column, f"{code!r} is neither a GSS code nor a 3-digit DfE code"
        prefix = TYPE_PREFIXES.get(normalise_header(item.authority_type))

        def kind_matches(authority: Authority) -> bool:
            return prefix is not None and authority.gss_code.startswith(prefix)

        candidates = self.index.named(name)
        if item.predecessor:
            pool = [a for a in candidates if prefix is None or kind_matches(a)]
            chosen = _best(pool, lambda a: (a.active_to is not None,))
        else:
            chosen = _best(
                candidates, lambda a: (a.active_to is None, bool(a.dfe_code), kind_matches(a))
            )
        if isinstance(chosen, Authority):
            return chosen
        described = f"{name!r} ({item.authority_type})" if item.authority_type else repr(name)
        if chosen:
            codes = ", ".join(a.gss_code for a in chosen)
            return item.name_column, f"{described} matches several authorities ({codes})"
        return item.name_column, (
            f"no authority called {described} in the database, and this workbook gives no code "
            "to create it from: import the EES files (or the outcomes workbook) first"
        )


def _best(candidates: list[Authority], rank: Any) -> Authority | list[Authority] | None:
    """The best-ranked candidate; the tied candidates if two rank first; None if none."""
    if not candidates:
        return None
    ordered = sorted(candidates, key=rank, reverse=True)
    if len(ordered) > 1 and rank(ordered[0]) == rank(ordered[1]):
        return [a for a in ordered if rank(a) == rank(ordered[0])]
    return ordered[0]


# --- writing -----------------------------------------------------------------------------------


def _publication_only(source: str) -> bool:
    """Whether a stored inspection came from the history workbook (no start date known)."""
    return any(HISTORY_SHEET.match(part) for part in source.split(" / "))


def _same_inspection(a: datetime.date | None, b: datetime.date | None) -> int | None:
    if a is None or b is None:
        return None
    days = abs((a - b).days)
    return days if days <= SAME_INSPECTION_DAYS else None


@dataclass
class _Record:
    authority: Authority
    item: ParsedInspection

    @property
    def key(self) -> tuple[int, str, str, datetime.date]:
        item = self.item
        return (self.authority.pk, item.framework, item.kind, item.start_date)

    @property
    def graded_ilacs(self) -> bool:
        return self.item.framework == Framework.ILACS and self.item.kind in GRADED_KINDS


def _apply(inspection: Inspection, record: _Record) -> bool:
    """Make a stored inspection say what the record says; whether anything changed."""
    item = record.item
    values = {
        "authority_id": record.authority.pk,
        "framework": item.framework,
        "kind": item.kind,
        "start_date": item.start_date,
        "published_date": item.published_date,
        "overall_grade": item.overall_grade,
        "sub_judgements": item.sub_judgements,
        "source": item.source[:200],
        "source_row": item.row,
    }
    changed = False
    for name, value in values.items():
        if getattr(inspection, name) != value:
            setattr(inspection, name, value)
            changed = True
    return changed


def _describe(record: _Record) -> str:
    item = record.item
    return f"{record.authority.name} {item.framework} {item.kind} published {item.published_date}"


def import_ofsted(paths: Sequence[Path]) -> ImportReport:
    """Read Ofsted workbooks and store their inspections; all or nothing."""
    return write_inspections([parse_workbook(Path(path)) for path in paths])


def write_inspections(workbooks: Sequence[ParsedWorkbook]) -> ImportReport:
    """Store the inspections of parsed workbooks in one transaction; raise ImportFailed if any
    row is wrong or names an authority that cannot be found or created."""
    errors = [error for workbook in workbooks for error in workbook.errors]
    if errors:
        raise ImportFailed(errors)
    report = ImportReport(file=", ".join(workbook.file for workbook in workbooks))
    items = [item for workbook in workbooks for item in workbook.inspections]
    # Rows with codes first, so that authorities they create are found by name afterwards.
    items.sort(key=lambda item: not item.code)
    with transaction.atomic():
        resolver = _Resolver(
            AuthorityIndex.load(), {normalise_header(r.name): r for r in Region.objects.all()}
        )
        resolved = [(resolver.resolve(item), item) for item in items]
        if resolver.errors:
            raise ImportFailed(resolver.errors)
        if resolver.created:
            Authority.objects.bulk_create(resolver.created)
            names = ", ".join(f"{a.name} ({a.gss_code})" for a in resolver.created[:10])
            more = len(resolver.created) - 10
            names += f" and {more} more" if more > 0 else ""
            report.notes.append(f"{len(resolver.created)} authorities created: {names}")
        records = [_Record(authority, item) for authority, item in resolved if authority]
        records = _merge(records, report)
        _store(records, report)
    frameworks = Counter((r.item.framework, r.item.kind) for r in records)
    summary = ", ".join(f"{fw} {kind} {n}" for (fw, kind), n in sorted(frameworks.items()))
    report.notes.insert(0, f"{len(records)} inspections in the files: {summary}")
    return report


def _merge(records: list[_Record], report: ImportReport) -> list[_Record]:
    """One record per inspection: sheets of one workbook, and the two workbooks, overlap."""
    records.sort(key=lambda r: (not r.item.dated, r.item.precedence))
    by_key: dict[tuple[int, str, str, datetime.date], _Record] = {}
    for record in records:
        first = by_key.setdefault(record.key, record)
        if first is not record and (
            first.item.overall_grade != record.item.overall_grade
            or first.item.sub_judgements != record.item.sub_judgements
        ):
            report.notes.append(
                f"{_describe(first)}: {record.item.file} row {record.item.row} gives other "
                f"judgements than {first.item.file} row {first.item.row}, which is kept"
            )
    unique = list(by_key.values())
    dated: dict[int, list[_Record]] = {}
    for record in unique:
        if record.item.dated and record.graded_ilacs:
            dated.setdefault(record.authority.pk, []).append(record)
    merged = []
    for record in unique:
        if record.item.dated or not record.graded_ilacs:
            merged.append(record)
            continue
        match = _nearest(record.item.published_date, dated.get(record.authority.pk, []))
        if match is None:
            merged.append(record)
        else:
            _note_disagreement(report, kept=match.item, dropped=record.item, name=_describe(match))
    return merged


def _nearest(published: datetime.date | None, records: list[_Record]) -> _Record | None:
    scored = [
        (days, r)
        for r in records
        if (days := _same_inspection(published, r.item.published_date)) is not None
    ]
    return min(scored, key=lambda pair: pair[0])[1] if scored else None


def _note_disagreement(
    report: ImportReport,
    *,
    kept: ParsedInspection | Inspection,
    dropped: ParsedInspection | Inspection,
    name: str,
) -> None:
    differences = []
    if kept.kind != dropped.kind:
        differences.append(f"kind {dropped.kind} → {kept.kind}")
    if kept.published_date != dropped.published_date:
        differences.append(f"published {dropped.published_date} → {kept.published_date}")
    if kept.overall_grade != dropped.overall_grade:
        differences.append(f"grade {dropped.overall_grade} → {kept.overall_grade}")
    if differences:
        report.notes.append(
            f"{name}: the workbooks disagree ({'; '.join(differences)}); "
            "kept as the outcomes workbook has it"
        )


def _store(records: list[_Record], report: ImportReport) -> None:
    authority_ids = {record.authority.pk for record in records}
    existing = list(Inspection.objects.filter(authority_id__in=authority_ids))
    by_key = {(e.authority_id, e.framework, e.kind, e.start_date): e for e in existing}
    graded_ilacs: dict[int, list[Inspection]] = {}
    for e in existing:
        if e.framework == Framework.ILACS and e.kind in GRADED_KINDS:
            graded_ilacs.setdefault(e.authority_id, []).append(e)
    touched: set[int] = set()
    to_update: list[Inspection] = []
    to_create: list[Inspection] = []
    superseded = 0
    for record in records:
        item = record.item
        stored = by_key.get(record.key)
        if stored is not None and stored.pk not in touched:
            touched.add(stored.pk)
            if not item.dated and not _publication_only(stored.source):
                report.unchanged += 1  # never replace a dated row by a publication-only one
            elif _apply(stored, record):
                to_update.append(stored)
            else:
                report.unchanged += 1
            continue
        if record.graded_ilacs:
            same_authority = graded_ilacs.get(record.authority.pk, [])
            if item.dated:
                candidates = [
                    e for e in same_authority if _publication_only(e.source) and e.pk not in touched
                ]
            else:
                candidates = [e for e in same_authority if not _publication_only(e.source)]
            scored = [
                (days, e)
                for e in candidates
                if (days := _same_inspection(item.published_date, e.published_date)) is not None
            ]
            if scored:
                stored = min(scored, key=lambda pair: pair[0])[1]
                if item.dated:  # replaces the history workbook's row in place
                    touched.add(stored.pk)
                    _note_disagreement(report, kept=item, dropped=stored, name=_describe(record))
                    _apply(stored, record)
                    to_update.append(stored)
                else:  # already stored from the outcomes workbook
                    _note_disagreement(report, kept=stored, dropped=item, name=_describe(record))
                    superseded += 1
                    report.unchanged += 1
                continue
        inspection = Inspection(authority=record.authority)
        _apply(inspection, record)
        to_create.append(inspection)
    fields = [
        "framework",
        "kind",
        "start_date",
        "published_date",
        "overall_grade",
        "sub_judgements",
        "source",
        "source_row",
    ]
    if to_update:
        Inspection.objects.bulk_update(to_update, fields, batch_size=500)
    if to_create:
        Inspection.objects.bulk_create(to_create, batch_size=500)
    report.created += len(to_create)
    report.updated += len(to_update)
    if superseded:
        report.notes.append(
            f"{superseded} ILACS inspections from the history workbook were already stored from "
            "the outcomes workbook, which is kept"
        )
