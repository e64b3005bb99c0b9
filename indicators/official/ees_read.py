"""Read CSVs in the Explore Education Statistics (EES) tidy-data layout: every row of a file is
checked, and what it says becomes drafts of observations, keyed like the unique constraint, with
every problem by row and column. Nothing here writes (``ees_write`` does).

What the columns mean lives in ``ees_mapping``; this module knows the layout only. Decisions the
reader makes, so they are written down once:

- Rows are numbered as a spreadsheet shows them: the header is row 1.
- A symbol (c, x, z, u, low, k; ":" read as x) is stored as a symbol with no value. A blank cell
  stores nothing and is counted in the report.
- A joint return ("314 / 318", "E09000021 / E09000027", "Kingston upon Thames / Richmond upon
  Thames") is stored for each authority it names, with the same figures, and its ``section`` says
  it is one figure for them together (``geography``).
- The counts behind a rate are kept as its numerator and denominator only where they reproduce
  the published rate at its published decimals: elsewhere (a regional total that is not the sum
  the rate was worked from) showing them as "calculated from" would contradict the figure.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from authorities.toolkit.importing import RowError
from authorities.toolkit.months import month_last
from indicators.models import PeriodKind
from indicators.units import Symbol

from . import ees_mapping as mapping
from .geography import AreaReader, Place, text_of

NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
YEARS = range(1900, 2101)

# A file given by path, or by name and an open text stream (for example an upload).
FileSource = str | Path | tuple[str, IO[str]]


# --- values and periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: float | None
    symbol: str


SCALE = {"percent": 100.0, "rate_per_10000": 10_000.0}
UNITS = {str(item["code"]): str(item["unit"]) for item in mapping.CATALOGUE}


def reproduces(indicator: str, published: str, numerator: float, denominator: float) -> bool:
    """Whether numerator / denominator, scaled to the indicator's unit, rounds to the published
    figure at the decimals it was published with. A symbol has no number to contradict."""
    text = published.strip()
    if not NUMBER.fullmatch(text):
        return True
    if not denominator:
        return False
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    computed = numerator / denominator * SCALE.get(UNITS.get(indicator, ""), 1.0)
    return abs(computed - float(text)) <= 0.5 * 10**-decimals + 1e-9


LOW_SYMBOLS = frozenset({Symbol.LOW.value, Symbol.LOW_K.value})


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
    base_symbol: str = ""

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
        self.unreproduced: Counter[str] = Counter()  # indicator -> rates its counts contradict
        self.geography = AreaReader(parsed, self.position, self.year_end)
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
        return text_of(fields, self.position, name)

    def _read_row(self, row: int, fields: list[str]) -> None:
        parsed = self.parsed
        errors_before = len(parsed.errors)
        time, column, message = parse_time(
            self._get(fields, "time_period"), self._get(fields, "time_identifier")
        )
        if time is None:
            parsed.error(row, column, message)
        areas = self.geography.areas(row, fields, time)
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

        values: list[tuple[str, Cell, float | None, float | None, tuple[int, int], str]] = []
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
            base = self._base_symbol(column_map.denominator, cell)
            published = self._get(fields, column_map.source)
            if (
                numerator is not None
                and denominator is not None
                and not reproduces(column_map.indicator, published, numerator, denominator)
            ):
                self.unreproduced[column_map.indicator] += 1
                numerator = denominator = None
            values.append(
                (column_map.indicator, value, numerator, denominator, self.year_end, base)
            )
        for name in self.self_mapped:
            value = cell(name)
            if value is None:
                if name not in cell_errors:
                    parsed.blank_cells += 1
                continue
            year_end = mapping.reporting_year_end(name)
            values.append((name, value, None, None, year_end, ""))
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
            values.append((code, value, None, None, self.year_end, ""))
        if len(parsed.errors) > errors_before or time is None:
            return
        periods: dict[tuple[int, int], Period] = {}
        for indicator, value, numerator, denominator, year_end, base in values:
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
                    base_symbol=base,
                )
                self._add(draft)

    def _total(self, names: tuple[str, ...], cell: Callable[[str], Cell | None]) -> float | None:
        """The sum of published counts, or None if any is missing or a symbol."""
        if not names or any(name not in self.position for name in names):
            return None
        parts = [cell(name) for name in names]  # every part parsed, so every error reported
        numbers = [part.value for part in parts if part is not None and part.value is not None]
        return round(sum(numbers), 9) if len(numbers) == len(names) else None

    def _base_symbol(self, names: tuple[str, ...], cell: Callable[[str], Cell | None]) -> str:
        """The symbol published for a rate's base where a part of it is one other than "rounds
        to zero" (c: suppressed), else ''. LAIT does not rank a rate whose base is withheld."""
        for name in names:
            part = cell(name) if name in self.position else None
            if part is not None and part.symbol and part.symbol not in LOW_SYMBOLS:
                return part.symbol
        return ""

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
        for indicator, count in sorted(self.unreproduced.items()):
            notes.append(
                f"{indicator}: {count} figures whose published counts do not give the published "
                "rate; the figure is kept, the counts are not shown as what it is calculated from"
            )
        if self.geography.code_changes:
            moved = ", ".join(
                f"{change} ({n} rows)" for change, n in self.geography.code_changes.items()
            )
            notes.append(f"rows filed under the authority's current GSS code: {moved}")
        for names, count in self.geography.joint.items():
            notes.append(
                f"joint return {names!r} ({count} rows): stored for each authority, marked joint"
            )
        if self.geography.skipped_levels:
            skipped = ", ".join(
                f"{level} ({n})" for level, n in self.geography.skipped_levels.items()
            )
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
