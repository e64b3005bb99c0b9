"""Everything in a folder of official files, in the order the importers need, all or nothing.

EES CSVs first (they create authorities and regions with both codes), then the statistical
neighbour model, then Ofsted workbooks, then the report evidence shipped with the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from authorities.importers.neighbours import import_neighbours
from authorities.importers.ofsted_write import import_ofsted
from authorities.toolkit.importing import ImportFailed, RowError

from .ees_write import import_ees
from .evidence_write import import_evidence

WORKBOOK_SUFFIXES = {".ods", ".xlsx"}


@dataclass
class OfficialFiles:
    ees: list[Path] = field(default_factory=list)
    neighbours: list[Path] = field(default_factory=list)
    ofsted: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def classify(folder: Path) -> OfficialFiles:
    """Sort a folder's files by what they are, judged by their layout rather than their names."""
    files = OfficialFiles()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            files.ofsted.append(path)
        elif suffix == ".csv":
            header = [column.strip() for column in _header(path)]
            if "time_period" in header and "geographic_level" in header:
                files.ees.append(path)
            elif "SN_1" in header and "old_la_code" in header:
                files.neighbours.append(path)
            else:
                files.skipped.append(path)
        else:
            files.skipped.append(path)
    return files


def import_official(folder: Path, *, evidence: bool = True) -> list[str]:
    """Import every official file in the folder; a problem anywhere changes nothing."""
    if not folder.is_dir():
        raise ImportFailed([RowError(str(folder), None, None, "is not a folder")])
    files = classify(folder)
    if not (files.ees or files.neighbours or files.ofsted):
        raise ImportFailed(
            [RowError(str(folder), None, None, "holds no EES CSV, neighbour model or workbook")]
        )
    lines: list[str] = []
    with transaction.atomic():
        if files.ees:
            lines.append(str(import_ees(files.ees)))
        for path in files.neighbours:
            lines.append(str(import_neighbours(path)))
        if files.ofsted:
            lines.append(str(import_ofsted(files.ofsted)))
        if evidence:
            lines.append(str(import_evidence()))
    lines.extend(f"Skipped {path.name}: not a layout Trajectory imports" for path in files.skipped)
    return lines
