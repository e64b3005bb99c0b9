"""Everything in one or more folders of official files, in the order the importers need.

EES CSVs first (they create authorities and regions with both codes), then the statistical
neighbour model, then Ofsted workbooks, then the report evidence shipped with the project.

A file whose layout Trajectory does not recognise (an unknown CSV, a workbook that is not
Ofsted's, a text file) is skipped and reported, so one stray file never stops a folder
(``strict=True`` makes it an error instead). A recognised file with a bad value is still an
error that changes nothing: its figures would be wrong, not merely absent.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.db import transaction

from authorities.importers.neighbours import import_neighbours
from authorities.importers.ofsted_layout import HISTORY_SHEET, OUTCOME_SHEETS
from authorities.importers.ofsted_write import import_ofsted
from authorities.toolkit.importing import ImportFailed, RowError

from .ees_write import import_ees
from .evidence_write import import_evidence

WORKBOOK_SUFFIXES = {".ods", ".xlsx", ".xls"}
EES_COLUMNS = {"time_period", "geographic_level"}


@dataclass
class OfficialFiles:
    ees: list[Path] = field(default_factory=list)
    neighbours: list[Path] = field(default_factory=list)
    ofsted: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def fates(self) -> list[str]:
        """One line per file: what it was read as, or why it was skipped."""
        lines = [f"  {path.name}: imported as an EES release" for path in self.ees]
        lines += [
            f"  {path.name}: imported as a statistical neighbour model" for path in self.neighbours
        ]
        lines += [f"  {path.name}: imported as an Ofsted outcomes workbook" for path in self.ofsted]
        lines += [f"  {path.name}: skipped, {reason}" for path, reason in self.skipped]
        return lines


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [column.strip() for column in next(csv.reader(handle), [])]


def _csv_kind(path: Path) -> tuple[str, str]:
    """('ees' | 'neighbours' | 'skip', reason if skipped)."""
    try:
        header = _header(path)
    except (UnicodeDecodeError, csv.Error) as error:
        return "skip", f"cannot be read as a UTF-8 CSV ({error})"
    if set(header) >= EES_COLUMNS:
        return "ees", ""
    if "SN_1" in header and "old_la_code" in header:
        return "neighbours", ""
    if "SN1" in header and "LA num" in header:
        return "skip", "a statistical neighbour model in DfE's 2021 layout, not imported yet"
    return (
        "skip",
        "not an EES CSV (no time_period and geographic_level columns) nor a neighbour model",
    )


def _workbook_kind(path: Path) -> tuple[str, str]:
    """Ofsted's workbooks are known by their sheets; any other workbook is skipped."""
    try:
        sheets = list(python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as error:  # calamine has its own error types for zips, XML, formats
        return "skip", f"cannot be read as a workbook ({error})"
    if any(name in OUTCOME_SHEETS for name in sheets) or any(
        HISTORY_SHEET.match(name) for name in sheets
    ):
        return "ofsted", ""
    return "skip", f"a workbook, but not Ofsted's inspection outcomes (sheets: {', '.join(sheets)})"


def classify(*folders: Path) -> OfficialFiles:
    """Sort the folders' files by what they are, judged by their layout rather than their names."""
    files = OfficialFiles()
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            suffix = path.suffix.lower()
            if suffix in WORKBOOK_SUFFIXES:
                kind, reason = _workbook_kind(path)
            elif suffix == ".csv":
                if path.name.endswith(".meta.csv"):
                    kind, reason = "skip", "EES metadata, read beside its data file"
                else:
                    kind, reason = _csv_kind(path)
            else:
                kind, reason = (
                    "skip",
                    f"not a file type Trajectory imports ({suffix or 'no suffix'})",
                )
            if kind == "ees":
                files.ees.append(path)
            elif kind == "neighbours":
                files.neighbours.append(path)
            elif kind == "ofsted":
                files.ofsted.append(path)
            else:
                files.skipped.append((path, reason))
    return files


def import_official(
    folders: Path | Sequence[Path], *, evidence: bool = True, strict: bool = False
) -> list[str]:
    """Import every recognised file in the folders; a problem in any of them changes nothing.

    Unrecognised files are skipped and listed, or with ``strict`` refused before anything is
    written."""
    folders = [folders] if isinstance(folders, Path) else list(folders)
    missing = [RowError(str(f), None, None, "is not a folder") for f in folders if not f.is_dir()]
    if missing:
        raise ImportFailed(missing)
    files = classify(*folders)
    where = ", ".join(str(folder) for folder in folders)
    if not (files.ees or files.neighbours or files.ofsted):
        raise ImportFailed(
            [RowError(where, None, None, "holds no EES CSV, neighbour model or Ofsted workbook")]
            + [
                RowError(path.name, None, None, f"skipped, {reason}")
                for path, reason in files.skipped
            ]
        )
    if strict and files.skipped:
        raise ImportFailed(
            [
                RowError(path.name, None, None, f"not recognised ({reason}); --strict refuses it")
                for path, reason in files.skipped
            ]
        )
    lines: list[str] = [f"Files in {where}:", *files.fates()]
    with transaction.atomic():
        if files.ees:
            lines.append(str(import_ees(files.ees)))
        for path in files.neighbours:
            lines.append(str(import_neighbours(path)))
        if files.ofsted:
            lines.append(str(import_ofsted(files.ofsted)))
        if evidence:
            lines.append(str(import_evidence()))
    return lines
