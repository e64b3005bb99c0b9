"""What every importer shares: errors that say file, row and column, a report of what changed,
reading CSV files and workbook cells, and finding authorities by code or name.

Each importer validates every row first and raises ``ImportFailed`` with all the problems it
found; only a file with no problems is written, inside one transaction. Everything here reads,
except ``refresh_planner_statistics``, which tells the database about a bulk load.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, models

from authorities.models import Authority, DatePrecision

# --- errors and reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None  # 1-based line number as a spreadsheet shows it (the header is row 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(Exception):
    """Raised when a file cannot be imported; nothing has been written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors[:50]))

    def summary(self, limit: int = 50) -> str:
        lines = [str(error) for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more problems")
        return "\n".join(lines)


@dataclass
class ImportReport:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.file}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        return "\n".join([text, *(f"  {note}" for note in self.notes)])


def refresh_planner_statistics(model: type[models.Model]) -> None:
    """Tell the database what a bulk load of ``model`` changed, so its planner picks the right
    indexes.

    Without it PostgreSQL plans the first queries after a large load from empty-table estimates.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


# --- names -------------------------------------------------------------------------------------

# Whole names that publishers spell differently, after the general rules below.
_NAME_ALIASES = {
    "hull": "kingston upon hull",
    "county durham": "durham",
    "bristol city": "bristol",
}
_NAME_PREFIXES = ("the ", "london borough of ", "royal borough of ", "city of ", "county of ")
_NAME_SUFFIXES = (
    " metropolitan borough council",
    " county council",
    " city council",
    " borough council",
    " council",
    " borough",
    " city of",
    " county of",
)


def normalise_name(name: str) -> str:
    """A key under which the spellings of one authority's name agree.

    "Kingston upon Hull, City of", "Kingston Upon Hull" and "Hull" agree; so do "Bedford Borough"
    and "Bedford", "St. Helens" and "St Helens", "Telford & Wrekin" and "Telford and Wrekin",
    "Bristol, City of" and "Bristol", "County Durham" and "Durham".
    """
    text = unicodedata.normalize("NFKC", name).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = " ".join(text.split())
    changed = True
    while changed:
        changed = False
        for prefix in _NAME_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in _NAME_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return _NAME_ALIASES.get(text, text)


def normalise_header(text: Any) -> str:
    """A header cell as a comparable key: case, line breaks, runs of spaces and quotes ignored."""
    value = unicodedata.normalize("NFKC", str(text or "")).replace("\u2019", "'")
    return " ".join(value.split()).lower()


# --- authorities -------------------------------------------------------------------------------


class AuthorityIndex:
    """Every authority in the database, found by GSS code, DfE code or normalised name.

    Built with one query. Authorities created during an import are added with ``add`` so that
    later rows find them too.
    """

    def __init__(self, authorities: Iterable[Authority]):
        self.by_gss: dict[str, Authority] = {}
        self.by_dfe: dict[str, Authority] = {}
        self._by_name: dict[str, list[Authority]] = {}
        for authority in authorities:
            self.add(authority)

    @classmethod
    def load(cls) -> AuthorityIndex:
        return cls(Authority.objects.all())

    def add(self, authority: Authority) -> None:
        self.by_gss[authority.gss_code] = authority
        if authority.dfe_code:
            self.by_dfe[authority.dfe_code] = authority
        self._by_name.setdefault(normalise_name(authority.name), []).append(authority)

    def named(self, name: str) -> list[Authority]:
        return list(self._by_name.get(normalise_name(name), []))


# --- CSV files ---------------------------------------------------------------------------------


@dataclass
class CsvTable:
    file: str
    columns: list[str]
    # (row number as a spreadsheet shows it, the header being row 1; values by column, stripped)
    rows: list[tuple[int, dict[str, str]]]


def read_csv(path: Path, *, required: Sequence[str], label: str | None = None) -> CsvTable:
    """Read a CSV file with a header row; raise ImportFailed if its layout is not as expected.

    Accepts a UTF-8 byte order mark and spaces around header names. A row with fewer or more
    fields than the header (a truncated or broken file) is an error naming that row.
    """
    name = label or path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed([RowError(name, None, None, "file not found")]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start}): is this the right file?"
        raise ImportFailed([RowError(name, None, None, message)]) from None
    except OSError as error:
        raise ImportFailed([RowError(name, None, None, f"cannot read: {error}")]) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise ImportFailed([RowError(name, None, None, "the file is empty")]) from None
    except csv.Error as error:
        raise ImportFailed([RowError(name, 1, None, f"unreadable header: {error}")]) from None
    if any("\x00" in column for column in header):
        message = "a NUL character in the header: is this a text CSV file?"
        raise ImportFailed([RowError(name, 1, None, message)])
    missing = [column for column in required if column not in header]
    if missing:
        found = ", ".join(repr(column) for column in header if column) or "nothing"
        errors.extend(
            RowError(name, 1, column, f"required column is missing (the header has {found})")
            for column in missing
        )
        raise ImportFailed(errors)
    row_number = 1
    while True:
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(
                RowError(
                    name, row_number, None, f"unreadable row ({error}): is the file cut short?"
                )
            )
            break
        if not any(cell.strip() for cell in cells):
            continue
        nul = next((i for i, cell in enumerate(cells) if "\x00" in cell), None)
        if nul is not None:  # PostgreSQL cannot store it, and it never belongs in a CSV
            column = header[nul] if nul < len(header) else None
            message = "a NUL character: is this a text CSV file?"
            errors.append(RowError(name, row_number, column, message))
            continue
        if len(cells) != len(header):
            errors.append(
                RowError(
                    name,
                    row_number,
                    None,
                    f"{len(cells)} fields where the header has {len(header)}: "
                    "is the file cut short or a quote left open?",
                )
            )
            continue
        rows.append((row_number, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    if errors:
        raise ImportFailed(errors)
    return CsvTable(file=name, columns=header, rows=rows)


# --- dates -------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_iso_date(text: str) -> tuple[datetime.date, str] | None:
    """'2018', '2018-09' or '2018-09-30' as (first day, precision); None if not such a date."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if day:
        return date, DatePrecision.DAY
    if month:
        return date, DatePrecision.MONTH
    return date, DatePrecision.YEAR


_CELL_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


def cell_date(value: Any) -> datetime.date | None:
    """A workbook cell as a date: a date cell, or text in a common date format; else None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in _CELL_DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def cell_text(value: Any) -> str:
    """A workbook cell as stripped text ('' for empty cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
