"""Import CSVs in the Explore Education Statistics (EES) tidy-data layout.

``import_ees`` reads one or more files, validates every row of every file and raises
``ImportFailed`` with all the problems (file, row, column) when there are any. Otherwise it writes
regions, authorities, indicators made from unmapped columns (``all_columns``) and observations in
one transaction, with bulk operations keyed on the observation's unique constraint: a second run
of the same files changes nothing.

What the columns mean lives in ``indicators.ees_mapping``; this module knows the layout only.
Decisions the importer makes, so they are written down once:

- Rows are numbered as a spreadsheet shows them: the header is row 1.
- ``release`` is the file's name and ``source_row`` its row, so every figure leads back to a cell.
- A symbol (c, x, z, u, low, k; ":" read as x) is stored as a symbol with no value. A blank cell
  stores nothing and is counted in the report.
- Local authority rows are filed under the authority's current GSS code
  (``ees_mapping.CODE_CHANGES``); the report says how many rows were moved.
- A joint return ("314 / 318", "E09000021 / E09000027", "Kingston upon Thames / Richmond upon
  Thames") is stored for each authority it names, with the same figures, and its ``section`` says
  it is one figure for them together.
- Authorities and regions are created or updated from the latest period a file gives for them;
  ``ees_mapping.REORGANISATIONS`` sets ``active_to``, ``successor`` and the successors'
  ``active_from`` for authorities the files mention.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from authorities.models import Authority, Region
from authorities.toolkit.gss import ENGLAND_CODE, is_authority_code, is_dfe_code, is_gss_code
from authorities.toolkit.importing import ImportFailed, ImportReport, RowError
from authorities.toolkit.months import month_last
from indicators import ees_mapping as mapping
from indicators.catalogue import sync_catalogue
from indicators.models import (
    AreaLevel,
    Frequency,
    Indicator,
    Observation,
    PeriodKind,
    Polarity,
    Source,
    Unit,
)

NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
YEARS = range(1900, 2101)
BATCH = 1000

# A file given by path, or by name and an open text stream (for example an upload).
FileSource = str | Path | tuple[str, IO[str]]


# --- reports ------------------------------------------------------------------------------------


@dataclass
class EesFileReport(ImportReport):
    release: str = ""
    rows: int = 0
    blank_cells: int = 0

    def __str__(self) -> str:
        release = f" [{self.release}]" if self.release else " [no known release]"
        text = (
            f"{self.file}{release}: {self.rows} rows; observations {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        return "\n".join([text, *(f"  {note}" for note in self.notes)])


@dataclass
class EesImportResult:
    files: list[EesFileReport] = field(default_factory=list)
    regions_created: int = 0
    regions_updated: int = 0
    authorities_created: int = 0
    authorities_updated: int = 0
    indicators_created: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(report.created for report in self.files)

    @property
    def updated(self) -> int:
        return sum(report.updated for report in self.files)

    @property
    def unchanged(self) -> int:
        return sum(report.unchanged for report in self.files)

    def __str__(self) -> str:
        lines = [str(report) for report in self.files]
        lines.append(
            f"Regions {self.regions_created} created, {self.regions_updated} updated; "
            f"authorities {self.authorities_created} created, {self.authorities_updated} updated."
        )
        if self.indicators_created:
            lines.append(
                f"Indicators created from unmapped columns ({len(self.indicators_created)}): "
                + ", ".join(self.indicators_created)
            )
        return "\n".join(lines)


# --- values and periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: float | None
    symbol: str


def parse_cell(text: str) -> Cell | None:
    """A number or a symbol; None for a blank cell. Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    symbol = mapping.SYMBOLS.get(text.lower())
    if symbol is not None:
        return Cell(None, str(symbol))
    if NUMBER.fullmatch(text):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{text!r} is too large a number")
        return Cell(value, "")
    symbols = ", ".join(sorted(key for key in mapping.SYMBOLS if key != ":"))
    raise ValueError(f"{text!r} is neither a number nor an EES symbol ({symbols}, or :)")


@dataclass(frozen=True)
class Time:
    """A validated ``time_period`` and ``time_identifier``."""

    period: str
    identifier: str
    kind: str

    def resolve(self, year_end: tuple[int, int]) -> Period:
        return _period(self, year_end)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date
    label: str


def parse_time(time_period: str, identifier: str) -> tuple[Time | None, str, str]:
    """The time of a row, or (None, column, message)."""
    time_period, identifier = time_period.strip(), identifier.strip()
    kind = mapping.TIME_IDENTIFIERS.get(identifier)
    if kind is None:
        known = "Reporting year, Financial year, Academic year, Calendar year or a month name"
        return None, "time_identifier", f"unknown time identifier {identifier!r} (known: {known})"
    if not re.fullmatch(r"\d{4}|\d{6}", time_period):
        return None, "time_period", f"{time_period!r} is not a 4-digit year or a 6-digit span"
    first = int(time_period[:4])
    if first not in YEARS:
        return None, "time_period", f"{time_period!r} is not a plausible year"
    if len(time_period) == 6:
        if int(time_period[4:]) != (first + 1) % 100:
            return None, "time_period", f"{time_period!r} is not a span of two consecutive years"
        if kind in (PeriodKind.MONTH, PeriodKind.CALENDAR_YEAR):
            return None, "time_period", f"{identifier} needs a 4-digit year, not {time_period!r}"
    elif kind in (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR):
        return None, "time_period", f"{identifier} needs a 6-digit span such as 201819"
    return Time(time_period, identifier, str(kind)), "", ""


def _period(time: Time, year_end: tuple[int, int]) -> Period:
    first = int(time.period[:4])
    span = f"{first}-{time.period[4:]}" if len(time.period) == 6 else time.period
    kind = time.kind
    if kind == PeriodKind.MONTH:
        month = mapping.MONTHS.index(time.identifier) + 1
        return Period(
            kind,
            datetime.date(first, month, 1),
            month_last(first * 12 + month - 1),
            f"{time.identifier} {first}",
        )
    if kind == PeriodKind.CALENDAR_YEAR:
        return Period(kind, datetime.date(first, 1, 1), datetime.date(first, 12, 31), span)
    if kind == PeriodKind.FINANCIAL_YEAR:
        return Period(kind, datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31), span)
    if kind == PeriodKind.ACADEMIC_YEAR:
        label = f"{first}/{time.period[4:]}"
        return Period(kind, datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31), label)
    # Reporting year: the year to the release's year end, in the year the period ends.
    end_year = first + 1 if len(time.period) == 6 else first
    month, day = year_end
    end = datetime.date(end_year, month, day)
    start = datetime.date(end_year - 1, month, day) + datetime.timedelta(days=1)
    return Period(kind, start, end, span)


def ees_time(
    period_kind: str, period_start: datetime.date, period_end: datetime.date, period_label: str
) -> tuple[str, str] | None:
    """The EES ``time_period`` and ``time_identifier`` of a stored period, or None if it has none.

    The inverse of the importer's reading, so an export can be imported again. Quarters and days
    have no EES time identifier the importer reads.
    """
    if period_kind == PeriodKind.MONTH:
        return str(period_start.year), mapping.MONTHS[period_start.month - 1]
    if period_kind == PeriodKind.CALENDAR_YEAR:
        return str(period_start.year), "Calendar year"
    span = f"{period_start.year}{(period_start.year + 1) % 100:02d}"
    if period_kind == PeriodKind.FINANCIAL_YEAR:
        return span, "Financial year"
    if period_kind == PeriodKind.ACADEMIC_YEAR:
        return span, "Academic year"
    if period_kind == PeriodKind.REPORTING_YEAR:
        if re.fullmatch(r"\d{4}-\d{2}", period_label):
            return period_label.replace("-", ""), "Reporting year"
        return str(period_end.year), "Reporting year"
    return None


# --- geography ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    section: str = ""  # the provenance note of a joint return


@dataclass
class Place:
    """What a row says about an authority, and when."""

    gss_code: str
    dfe_code: str
    name: str
    region: str  # an English region (E12) code, or "" when the row gives none
    when: tuple[datetime.date, int, int]  # period end, file index, row
    file: str
    row: int


# --- reading one file ---------------------------------------------------------------------------


@dataclass
class Draft:
    """An observation ready to be written, keyed like the unique constraint."""

    indicator: str
    area_level: str
    area_code: str
    period: Period
    value: float | None
    symbol: str
    numerator: float | None
    denominator: float | None
    row: int
    section: str

    @property
    def key(self) -> tuple[str, str, str, datetime.date]:
        return (self.area_code, self.indicator, self.period.kind, self.period.start)


@dataclass
class ParsedFile:
    name: str
    index: int
    release: mapping.Release | None = None
    errors: list[RowError] = field(default_factory=list)
    drafts: dict[tuple[str, str, str, datetime.date], Draft] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    regions: set[str] = field(default_factory=set)  # English regions (E12) the file refers to
    region_names: dict[str, str] = field(default_factory=dict)  # E12 code -> name in the file
    derived: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    rows: int = 0
    blank_cells: int = 0
    notes: list[str] = field(default_factory=list)

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.name, row, column, message))


def _open(source: FileSource) -> tuple[str, IO[str] | None, str]:
    """(name, stream, problem) for a path or a (name, stream) pair."""
    if isinstance(source, tuple):
        return source[0], source[1], ""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return path.name, None, f"no such file: {path}"
    except UnicodeDecodeError as error:
        return path.name, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
    except OSError as error:
        return path.name, None, f"cannot be read: {error.strerror}"
    return path.name, io.StringIO(text, newline=""), ""


class _FileReader:
    def __init__(
        self,
        parsed: ParsedFile,
        header: list[str],
        records: list[tuple[int, list[str]]],
        *,
        indicator_codes: set[str],
        all_columns: bool,
    ):
        self.parsed = parsed
        self.header = header
        self.position = {name: index for index, name in enumerate(header)}
        self.records = records
        self.all_columns = all_columns
        columns = set(header)
        self.release = mapping.release_for_columns(columns)
        parsed.release = self.release
        release = self.release
        geography = set(mapping.GEOGRAPHY_COLUMNS) | mapping.OTHER_GEOGRAPHY_COLUMNS
        rest = [name for name in header if name and name not in geography]
        self.mapped = [c for c in release.columns if c.source in columns] if release else []
        self.used = (release.used_columns() & columns) if release else set()
        filters = [name for name in rest if release and name in release.filters]
        self.self_mapped = [
            name
            for name in rest
            if name not in self.used and name not in filters and name in indicator_codes
        ]
        unknown = [
            name
            for name in rest
            if name not in self.used and name not in filters and name not in self.self_mapped
        ]
        # Unknown columns: a column with text and no numbers is a filter, anything else an
        # indicator the mapping does not know.
        good = [fields for _, fields in records if len(fields) == len(header)]
        self.inferred_filters = [name for name in unknown if self._looks_like_filter(name, good)]
        self.filters = filters + self.inferred_filters
        self.unknown = [name for name in unknown if name not in self.inferred_filters]
        values: dict[str, set[str]] = {name: set() for name in self.filters}
        for fields in good:
            for name in self.filters:
                values[name].add(fields[self.position[name]].strip())
        self.varying = [name for name in self.filters if len(values[name]) > 1]
        self.key = release.key if release else mapping.UNRECOGNISED_RELEASE_KEY
        self.year_end = release.year_end if release else mapping.DEFAULT_YEAR_END
        self.unmapped_cells: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()
        self.code_changes: Counter[str] = Counter()
        self.joint: dict[str, int] = defaultdict(int)
        self.skipped_levels: Counter[str] = Counter()
        self.missing_reported: set[str] = set()
        self.first_row: dict[tuple[str, str, str, datetime.date], int] = {}

    def _looks_like_filter(self, name: str, rows: list[list[str]]) -> bool:
        position = self.position[name]
        has_text = has_number = False
        for fields in rows:
            text = fields[position].strip()
            if not text or text.lower() in mapping.SYMBOLS:
                continue
            if NUMBER.fullmatch(text):
                has_number = True
            else:
                has_text = True
        return has_text and not has_number

    # -- rows --

    def read(self) -> None:
        parsed = self.parsed
        for row, fields in self.records:
            if not fields:
                continue
            parsed.rows += 1
            if len(fields) != len(self.header):
                self._wrong_length(row, fields)
                continue
            self._read_row(row, fields)
        self._notes()

    def _wrong_length(self, row: int, fields: list[str]) -> None:
        if len(fields) < len(self.header):
            column = self.header[len(fields)]
            message = (
                f"the row has {len(fields)} fields but the header has {len(self.header)}: "
                "the file may be truncated"
            )
            self.parsed.error(row, column, message)
        else:
            message = f"the row has {len(fields)} fields but the header has {len(self.header)}"
            self.parsed.error(row, None, message)

    def _get(self, fields: list[str], name: str) -> str:
        position = self.position.get(name)
        return fields[position].strip() if position is not None else ""

    def _read_row(self, row: int, fields: list[str]) -> None:
        parsed = self.parsed
        errors_before = len(parsed.errors)
        time, column, message = parse_time(
            self._get(fields, "time_period"), self._get(fields, "time_identifier")
        )
        if time is None:
            parsed.error(row, column, message)
        areas = self._areas(row, fields, time)
        if areas is None:  # a level we do not store
            return
        filters = {name: self._get(fields, name) for name in self.filters}
        cells: dict[str, Cell | None] = {}
        cell_errors: set[str] = set()

        def cell(name: str) -> Cell | None:
            if name not in cells:
                try:
                    cells[name] = parse_cell(self._get(fields, name))
                except ValueError as error:
                    cells[name] = None
                    if name not in cell_errors:
                        cell_errors.add(name)
                        parsed.error(row, name, str(error))
            return cells[name]

        values: list[tuple[str, Cell, float | None, float | None, tuple[int, int]]] = []
        consumed: set[str] = set()
        for column_map in self.mapped:
            if not column_map.applies_to(filters):
                continue
            consumed.add(column_map.source)
            value = cell(column_map.source)
            numerator = self._total(column_map.numerator, cell)
            denominator = self._total(column_map.denominator, cell)
            if value is None:
                if column_map.source not in cell_errors:
                    parsed.blank_cells += 1
                continue
            values.append((column_map.indicator, value, numerator, denominator, self.year_end))
        for name in self.self_mapped:
            value = cell(name)
            if value is None:
                if name not in cell_errors:
                    parsed.blank_cells += 1
                continue
            year_end = mapping.reporting_year_end(name)
            values.append((name, value, None, None, year_end))
        varying = tuple((name, filters[name]) for name in self.varying)
        for name in [*self.unknown, *sorted(self.used - consumed)]:
            if not self._get(fields, name):
                continue
            self.unmapped_cells[(name, varying)] += 1
            if not self.all_columns:
                continue
            value = cell(name)
            if value is None:
                continue
            code = mapping.derived_indicator_code(self.key, name, dict(varying))
            parsed.derived.setdefault(code, (name, dict(varying)))
            values.append((code, value, None, None, self.year_end))
        if len(parsed.errors) > errors_before or time is None:
            return
        periods: dict[tuple[int, int], Period] = {}
        for indicator, value, numerator, denominator, year_end in values:
            if year_end not in periods:
                periods[year_end] = time.resolve(year_end)
            for area in areas:
                draft = Draft(
                    indicator=indicator,
                    area_level=area.level,
                    area_code=area.code,
                    period=periods[year_end],
                    value=value.value,
                    symbol=value.symbol,
                    numerator=numerator,
                    denominator=denominator,
                    row=row,
                    section=area.section,
                )
                self._add(draft)

    def _total(self, names: tuple[str, ...], cell: Callable[[str], Cell | None]) -> float | None:
        """The sum of published counts, or None if any is missing or a symbol."""
        if not names or any(name not in self.position for name in names):
            return None
        parts = [cell(name) for name in names]  # every part parsed, so every error reported
        numbers = [part.value for part in parts if part is not None and part.value is not None]
        return round(sum(numbers), 9) if len(numbers) == len(names) else None

    def _add(self, draft: Draft) -> None:
        key = draft.key
        first = self.first_row.get(key)
        if first is not None:
            self.parsed.error(
                draft.row,
                None,
                f"{draft.indicator} for {draft.area_code} in {draft.period.label} is also given "
                f"on row {first}",
            )
            return
        self.first_row[key] = draft.row
        self.parsed.drafts[key] = draft

    def _missing(self, row: int, column: str, why: str) -> None:
        if column not in self.missing_reported:
            self.missing_reported.add(column)
            self.parsed.error(row, column, f"the file has no {column} column, which {why} need")

    def _areas(self, row: int, fields: list[str], time: Time | None) -> list[Area] | None:
        parsed = self.parsed
        level_text = self._get(fields, "geographic_level")
        if level_text in mapping.SKIPPED_GEOGRAPHIC_LEVELS:
            self.skipped_levels[level_text] += 1
            return None
        level = mapping.GEOGRAPHIC_LEVELS.get(level_text)
        if level is None:
            known = ", ".join(mapping.GEOGRAPHIC_LEVELS)
            parsed.error(
                row, "geographic_level", f"unknown geographic level {level_text!r} ({known})"
            )
            return []
        country = self._get(fields, "country_code")
        if not is_gss_code(country):
            parsed.error(row, "country_code", f"malformed GSS code {country!r}")
        elif country != ENGLAND_CODE:
            parsed.error(
                row,
                "country_code",
                f"unknown country code {country!r}: only England ({ENGLAND_CODE}) is supported",
            )
        if level == AreaLevel.NATIONAL:
            return [Area(level, ENGLAND_CODE)]
        region = self._region(row, fields, required=level == AreaLevel.REGIONAL)
        if level == AreaLevel.REGIONAL:
            return [Area(level, region)] if region else []
        return self._authorities(row, fields, time, region)

    def _region(self, row: int, fields: list[str], *, required: bool) -> str:
        parsed = self.parsed
        if "region_code" not in self.position:
            if required:
                self._missing(row, "region_code", "regional rows")
            return ""
        code = self._get(fields, "region_code")
        name = self._get(fields, "region_name")
        if not code:
            if required:
                parsed.error(row, "region_code", "a regional row needs a region code")
            return ""
        if not is_gss_code(code):
            parsed.error(row, "region_code", f"malformed GSS code {code!r}")
            return ""
        if code not in mapping.ENGLISH_REGIONS and code not in mapping.SUB_REGIONS:
            parsed.error(
                row,
                "region_code",
                f"unknown region code {code!r} (regions are E12000001 to E12000009; "
                "E13000001 and E13000002 are Inner and Outer London)",
            )
            return ""
        if required and not name:
            parsed.error(row, "region_name", "a regional row needs a region name")
        if code in mapping.ENGLISH_REGIONS and name:
            parsed.region_names[code] = name
        parsed.regions.add(mapping.english_region(code))
        return code

    def _authorities(
        self, row: int, fields: list[str], time: Time | None, region: str
    ) -> list[Area]:
        parsed = self.parsed
        for column in mapping.AUTHORITY_COLUMNS:
            if column not in self.position:
                self._missing(row, column, "local authority rows")
        if any(column not in self.position for column in mapping.AUTHORITY_COLUMNS):
            return []
        raw_codes = self._get(fields, "new_la_code")
        raw_dfe = self._get(fields, "old_la_code")
        raw_names = self._get(fields, "la_name")
        codes = [part.strip() for part in raw_codes.split(mapping.JOINT_SEPARATOR)]
        joint = len(codes) > 1
        dfe_codes = [part.strip() for part in raw_dfe.split(mapping.JOINT_SEPARATOR)]
        names = (
            [part.strip() for part in raw_names.split(mapping.JOINT_SEPARATOR)]
            if joint
            else [raw_names]
        )
        ok = True
        for code in codes:
            if is_authority_code(code):
                continue
            ok = False
            if is_gss_code(code):
                message = (
                    f"{code!r} is not the code of an authority that runs children's services "
                    "(E06, E08, E09 or E10)"
                )
            else:
                message = f"malformed GSS code {code!r}"
            parsed.error(row, "new_la_code", message)
        if raw_dfe and any(not is_dfe_code(code) for code in dfe_codes):
            ok = False
            parsed.error(row, "old_la_code", f"malformed DfE code {raw_dfe!r} (3 digits)")
        if not raw_names or any(not name for name in names):
            ok = False
            parsed.error(row, "la_name", "a local authority row needs the authority's name")
        if (
            joint
            and ok
            and not (len(codes) == len(names) and (not raw_dfe or len(dfe_codes) == len(codes)))
        ):
            ok = False
            parsed.error(
                row,
                "new_la_code",
                "a joint return must name the same number of authorities in new_la_code, "
                "old_la_code and la_name",
            )
        if not ok:
            return []
        section = ""
        if joint:
            together = " and ".join(names)
            section = (
                f"Joint return of {together} ({raw_dfe}): one figure for the authorities together"
            )[:200]
            self.joint[raw_names] += 1
        when_end = time.resolve(self.year_end).end if time else datetime.date.min
        english = mapping.english_region(region) if region else ""
        areas = []
        for index, published in enumerate(codes):
            code = mapping.current_gss_code(published)
            if code != published:
                self.code_changes[f"{published} -> {code}"] += 1
            dfe = dfe_codes[index] if raw_dfe else ""
            parsed.places.append(
                Place(
                    gss_code=code,
                    dfe_code=dfe,
                    name=names[index],
                    region=english,
                    when=(when_end, parsed.index, row),
                    file=parsed.name,
                    row=row,
                )
            )
            areas.append(Area(AreaLevel.AUTHORITY, code, section))
        return areas

    # -- report --

    def _notes(self) -> None:
        notes = self.parsed.notes
        release = self.release
        if release:
            missing = sorted(c.source for c in release.columns if c.source not in self.position)
            if missing:
                notes.append("mapped columns absent from this file: " + ", ".join(missing))
        if self.self_mapped:
            notes.append("columns named by indicator code: " + ", ".join(self.self_mapped))
        if self.inferred_filters:
            notes.append(
                "columns read as filters (text, no numbers): " + ", ".join(self.inferred_filters)
            )
        by_column: dict[str, list[tuple[tuple[tuple[str, str], ...], int]]] = defaultdict(list)
        for (name, varying), count in sorted(self.unmapped_cells.items()):
            by_column[name].append((varying, count))
        if by_column:
            action = (
                "imported as indicators of their own"
                if self.all_columns
                else "not imported (--all-columns imports them as indicators of their own)"
            )
            notes.append(f"columns the mapping does not turn into an indicator, {action}:")
            for name in [*self.unknown, *sorted(self.used)]:
                role = " (read as a numerator or denominator)" if name in self.used else ""
                for varying, count in by_column.get(name, []):
                    where = "; ".join(f"{key} = {value!r}" for key, value in varying)
                    where = f" where {where}" if where else ""
                    notes.append(f"  {name}{where}{role}: {count} cells")
        if self.code_changes:
            moved = ", ".join(f"{change} ({n} rows)" for change, n in self.code_changes.items())
            notes.append(f"rows filed under the authority's current GSS code: {moved}")
        for names, count in self.joint.items():
            notes.append(
                f"joint return {names!r} ({count} rows): stored for each authority, marked joint"
            )
        if self.skipped_levels:
            skipped = ", ".join(f"{level} ({n})" for level, n in self.skipped_levels.items())
            notes.append(f"rows at geographic levels not stored: {skipped}")
        if self.parsed.blank_cells:
            notes.append(f"{self.parsed.blank_cells} blank cells: nothing published, none stored")


def read_file(
    source: FileSource, index: int, *, indicator_codes: set[str], all_columns: bool
) -> ParsedFile:
    """Read and validate one file; problems are in ``errors``."""
    name, stream, problem = _open(source)
    parsed = ParsedFile(name=name, index=index)
    if stream is None:
        parsed.error(None, None, problem)
        return parsed
    try:
        rows = csv.reader(stream)
        header = next(rows, None)
        records = [(number, fields) for number, fields in enumerate(rows, start=2)]
    except (csv.Error, UnicodeDecodeError) as error:
        parsed.error(None, None, f"cannot be read as CSV: {error}")
        return parsed
    if not header:
        parsed.error(1, None, "the file is empty")
        return parsed
    # A NUL character cannot be stored (PostgreSQL refuses it) and never belongs in a CSV.
    for number, fields in [(1, header), *records]:
        for position, cell in enumerate(fields):
            if "\x00" in cell:
                column = header[position].strip() if position < len(header) else None
                parsed.error(number, column, "a NUL character: is this a text CSV file?")
    if parsed.errors:
        return parsed
    header = [column.strip().lstrip("\ufeff").strip() for column in header]
    counts = Counter(header)
    for column, count in counts.items():
        if count > 1 and column:
            parsed.error(1, column, f"the column appears {count} times in the header")
    # A column with no name (a trailing comma) is ignored while it holds nothing.
    for position, column in enumerate(header):
        if column:
            continue
        for number, fields in records:
            if position < len(fields) and fields[position].strip():
                parsed.error(number, f"column {position + 1}", "a column with no name has a value")
                break
    for column in mapping.REQUIRED_COLUMNS:
        if column not in counts:
            parsed.error(
                1,
                column,
                "missing: every EES tidy-data file has this column",
            )
    if parsed.errors:
        return parsed
    reader = _FileReader(
        parsed, header, records, indicator_codes=indicator_codes, all_columns=all_columns
    )
    reader.read()
    return parsed


# --- authorities --------------------------------------------------------------------------------


@dataclass
class AuthorityPlan:
    places: dict[str, Place]  # gss -> latest place
    yielding: set[str]  # existing gss codes whose DfE code passes to another authority


def plan_authorities(parsed_files: Sequence[ParsedFile]) -> tuple[AuthorityPlan, list[RowError]]:
    places: dict[str, Place] = {}
    for parsed in parsed_files:
        for place in parsed.places:
            known = places.get(place.gss_code)
            if known is None or place.when >= known.when:
                if known is not None and not place.dfe_code:
                    place.dfe_code = known.dfe_code
                places[place.gss_code] = place
            elif not known.dfe_code and place.dfe_code:
                known.dfe_code = place.dfe_code
    errors: list[RowError] = []
    by_dfe: dict[str, Place] = {}
    for place in places.values():
        if not place.dfe_code:
            continue
        other = by_dfe.get(place.dfe_code)
        if other is not None:
            errors.append(
                RowError(
                    place.file,
                    place.row,
                    "old_la_code",
                    f"DfE code {place.dfe_code} is given to {place.gss_code} ({place.name}) and "
                    f"to {other.gss_code} ({other.name}) in {other.file} row {other.row}; if one "
                    "replaced the other, add it to CODE_CHANGES in indicators/ees_mapping.py",
                )
            )
            continue
        by_dfe[place.dfe_code] = place
    yielding: set[str] = set()
    for gss_code, dfe_code, name in Authority.objects.exclude(dfe_code="").values_list(
        "gss_code", "dfe_code", "name"
    ):
        claimant = by_dfe.get(dfe_code)
        if claimant is None or claimant.gss_code == gss_code:
            continue
        holder = places.get(gss_code)
        if holder is not None and holder.dfe_code and holder.dfe_code != dfe_code:
            yielding.add(gss_code)  # it takes another code in the same import
        elif mapping.current_gss_code(gss_code) == claimant.gss_code:
            yielding.add(gss_code)  # an old code of the same authority
        else:
            errors.append(
                RowError(
                    claimant.file,
                    claimant.row,
                    "old_la_code",
                    f"DfE code {dfe_code} belongs to {name} ({gss_code}) in the database, not to "
                    f"{claimant.gss_code} ({claimant.name})",
                )
            )
    return AuthorityPlan(places, yielding), errors


# --- writing ------------------------------------------------------------------------------------


def _write_regions(parsed_files: Sequence[ParsedFile], result: EesImportResult) -> dict[str, int]:
    """Create the English regions the files refer to; a name a file gives wins."""
    codes: set[str] = set()
    given: dict[str, str] = {}
    for parsed in parsed_files:
        codes |= parsed.regions
        given.update(parsed.region_names)
    existing = {region.code: region for region in Region.objects.all()}
    new, changed = [], []
    for code in sorted(codes):
        region = existing.get(code)
        if region is None:
            new.append(Region(code=code, name=given.get(code, mapping.ENGLISH_REGIONS[code])))
        elif code in given and region.name != given[code]:
            region.name = given[code]
            changed.append(region)
    Region.objects.bulk_create(new, batch_size=BATCH)
    Region.objects.bulk_update(changed, ["name"], batch_size=BATCH)
    result.regions_created, result.regions_updated = len(new), len(changed)
    return dict(Region.objects.values_list("code", "id"))


def _write_authorities(
    plan: AuthorityPlan, region_ids: dict[str, int], result: EesImportResult
) -> None:
    existing = {authority.gss_code: authority for authority in Authority.objects.all()}
    touched: set[str] = set()
    # Free DfE codes first, so no statement ever holds one code twice.
    freeing = []
    for gss_code, authority in existing.items():
        place = plan.places.get(gss_code)
        final = place.dfe_code if place and place.dfe_code else authority.dfe_code
        if gss_code in plan.yielding and not (place and place.dfe_code):
            final = ""
        if authority.dfe_code and authority.dfe_code != final:
            authority.dfe_code = ""
            freeing.append(authority)
            touched.add(gss_code)
    Authority.objects.bulk_update(freeing, ["dfe_code"], batch_size=BATCH)
    new: list[Authority] = []
    changed: list[Authority] = []
    for gss_code, place in plan.places.items():
        region_id = region_ids.get(place.region) if place.region else None
        found = existing.get(gss_code)
        if found is None:
            new.append(
                Authority(
                    gss_code=gss_code,
                    dfe_code=place.dfe_code,
                    name=place.name,
                    region_id=region_id,
                )
            )
            continue
        authority = found
        before = (authority.dfe_code, authority.name, authority.region_id)
        if place.dfe_code:
            authority.dfe_code = place.dfe_code
        authority.name = place.name
        if region_id is not None:
            authority.region_id = region_id
        if (authority.dfe_code, authority.name, authority.region_id) != before:
            changed.append(authority)
            touched.add(gss_code)
    Authority.objects.bulk_create(new, batch_size=BATCH)
    Authority.objects.bulk_update(changed, ["dfe_code", "name", "region"], batch_size=BATCH)
    result.authorities_created = len(new)
    created = {authority.gss_code for authority in new}
    # Reorganisations the files mention.
    met = set(plan.places)
    by_gss = {authority.gss_code: authority for authority in Authority.objects.all()}
    reorganised: dict[str, Authority] = {}
    for change in mapping.REORGANISATIONS:
        if change.predecessor not in met and not met & set(change.successors):
            continue
        predecessor = by_gss.get(change.predecessor)
        successor = by_gss.get(change.successors[0])
        if predecessor is not None:
            if predecessor.active_to != change.last_day:
                predecessor.active_to = change.last_day
                reorganised[predecessor.gss_code] = predecessor
            if successor is not None and predecessor.successor_id != successor.pk:
                predecessor.successor = successor
                reorganised[predecessor.gss_code] = predecessor
        for code in change.successors:
            later = by_gss.get(code)
            if later is not None and later.active_from != change.date:
                later.active_from = change.date
                reorganised[later.gss_code] = later
    Authority.objects.bulk_update(
        list(reorganised.values()), ["active_to", "successor", "active_from"], batch_size=BATCH
    )
    touched |= set(reorganised)
    result.authorities_updated = len(touched - created)


def _write_indicators(
    parsed_files: Sequence[ParsedFile], result: EesImportResult
) -> dict[str, int]:
    needed = {draft.indicator for parsed in parsed_files for draft in parsed.drafts.values()}
    ids = dict(Indicator.objects.values_list("code", "id"))
    if (needed - set(ids)) & mapping.CATALOGUE_CODES:
        sync_catalogue(Indicator)
        ids = dict(Indicator.objects.values_list("code", "id"))
    new: list[Indicator] = []
    for parsed in parsed_files:
        release = parsed.release
        title = release.title if release else "a file in the EES layout"
        for code, (column, filters) in sorted(parsed.derived.items()):
            if code in ids or any(indicator.code == code for indicator in new):
                continue
            where = "; ".join(f"{name} is {value!r}" for name, value in filters.items())
            where = f", where {where}" if where else ""
            new.append(
                Indicator(
                    code=code,
                    name=mapping.derived_indicator_name(column, filters),
                    short_name=column[:80],
                    definition=(
                        f"Imported as published from the column {column!r} of {title}{where}. "
                        "Not in the catalogue: indicators/ees_mapping.py does not say what it "
                        "means, which way is better or in what unit."
                    ),
                    unit=Unit.UNKNOWN,
                    polarity=Polarity.NEITHER,
                    decimals=1,
                    frequency=Frequency.ANNUAL,
                    in_monthly_return=False,
                    official_source_column=column[:200],
                    sort_order=1000,
                )
            )
    Indicator.objects.bulk_create(new, batch_size=BATCH)
    result.indicators_created = [indicator.code for indicator in new]
    if new:
        ids = dict(Indicator.objects.values_list("code", "id"))
    return ids


COMPARED = (
    "area_level",
    "period_end",
    "period_label",
    "value",
    "symbol",
    "numerator",
    "denominator",
    "source_row",
    "section",
    "quote",
)


def _write_observations(parsed: ParsedFile, indicator_ids: dict[str, int]) -> EesFileReport:
    """Create, update or leave each figure of the file.

    Each indicator comes from one release, and a new edition of a release republishes the
    earlier years, often revised. So one official figure is kept per area, indicator and period:
    the one from the file imported last, which takes over the earlier edition's row (its
    release and row then name this file). The report counts the figures taken over and revised.
    """
    report = EesFileReport(
        file=parsed.name,
        release=parsed.release.key if parsed.release else "",
        rows=parsed.rows,
        blank_cells=parsed.blank_cells,
        notes=list(parsed.notes),
    )
    wanted_ids = {indicator_ids[draft.indicator] for draft in parsed.drafts.values()}
    existing: dict[tuple[str, int, str, datetime.date], tuple[Any, ...]] = {}
    duplicates: list[int] = []
    rows = Observation.objects.filter(
        source=Source.OFFICIAL, indicator_id__in=wanted_ids
    ).values_list(
        "id", "area_code", "indicator_id", "period_kind", "period_start", "release", *COMPARED
    )
    for row in rows:
        key = (row[1], row[2], row[3], row[4])
        held = existing.get(key)
        if held is None:
            existing[key] = row
        elif row[5] == parsed.name:  # this file's own row is the one kept
            duplicates.append(held[0])
            existing[key] = row
        else:
            duplicates.append(row[0])
    now = timezone.now()
    new, changed = [], []
    taken_over: Counter[str] = Counter()
    revised = 0
    for draft in parsed.drafts.values():
        indicator_id = indicator_ids[draft.indicator]
        wanted = (
            draft.area_level,
            draft.period.end,
            draft.period.label,
            draft.value,
            draft.symbol,
            draft.numerator,
            draft.denominator,
            draft.row,
            draft.section,
            "",
        )
        key = (draft.area_code, indicator_id, draft.period.kind, draft.period.start)
        found = existing.pop(key, None)
        if found is not None and found[5] == parsed.name and tuple(found[6:]) == wanted:
            report.unchanged += 1
            continue
        observation = Observation(
            indicator_id=indicator_id,
            area_code=draft.area_code,
            period_kind=draft.period.kind,
            period_start=draft.period.start,
            source=Source.OFFICIAL,
            release=parsed.name,
            recorded_at=now,
            **dict(zip(COMPARED, wanted, strict=True)),
        )
        if found is None:
            new.append(observation)
            continue
        observation.pk = found[0]
        changed.append(observation)
        if found[5] != parsed.name:
            taken_over[found[5]] += 1
            # value, symbol, numerator, denominator
            revised += tuple(found[9:13]) != (
                draft.value,
                draft.symbol,
                draft.numerator,
                draft.denominator,
            )
    Observation.objects.filter(pk__in=duplicates).delete()
    Observation.objects.bulk_create(new, batch_size=BATCH)
    Observation.objects.bulk_update(
        changed, [*COMPARED, "release", "recorded_at"], batch_size=BATCH
    )
    report.created, report.updated = len(new), len(changed)
    for earlier, count in sorted(taken_over.items()):
        report.notes.append(
            f"{count} figures were published before in {earlier}: this file's edition replaces "
            "them, and they now cite it"
        )
    if taken_over:
        report.notes.append(f"{revised} of them were revised (the figure or symbol changed)")
    if duplicates:
        report.notes.append(
            f"{len(duplicates)} older copies of figures held twice were removed, keeping one "
            "per area, indicator and period"
        )
    left = sum(1 for row in existing.values() if row[5] == parsed.name)
    if left:
        report.notes.append(
            f"{left} observations from an earlier import of {parsed.name} did not come "
            "from this one (rows since removed, or columns imported with --all-columns); they "
            "were left as they were"
        )
    return report


# --- the entry point ----------------------------------------------------------------------------


def import_ees(sources: Iterable[FileSource], *, all_columns: bool = False) -> EesImportResult:
    """Validate every row of every file, then write everything in one transaction or nothing.

    Raises ``ImportFailed`` with every problem found; the database is then as it was.
    """
    indicator_codes = set(Indicator.objects.values_list("code", flat=True))
    indicator_codes |= mapping.CATALOGUE_CODES
    parsed_files = [
        read_file(source, index, indicator_codes=indicator_codes, all_columns=all_columns)
        for index, source in enumerate(sources)
    ]
    errors = [error for parsed in parsed_files for error in parsed.errors]
    names = Counter(parsed.name for parsed in parsed_files)
    for name, count in names.items():
        if count > 1:
            message = f"{count} files are named {name}, and the name is their figures' release"
            errors.append(RowError(name, None, None, message))
    plan, plan_errors = plan_authorities(parsed_files)
    errors.extend(plan_errors)
    if errors:
        raise ImportFailed(errors)
    result = EesImportResult()
    with transaction.atomic():
        region_ids = _write_regions(parsed_files, result)
        _write_authorities(plan, region_ids, result)
        indicator_ids = _write_indicators(parsed_files, result)
        for parsed in parsed_files:
            result.files.append(_write_observations(parsed, indicator_ids))
    return result
