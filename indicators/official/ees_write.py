"""Import CSVs in the Explore Education Statistics (EES) tidy-data layout.

``import_ees`` reads one or more files (``ees_read``), validates every row of every file and
raises ``ImportFailed`` with all the problems (file, row, column) when there are any. Otherwise it
writes regions and authorities (``geography``), indicators made from unmapped columns
(``all_columns``) and observations in one transaction, with bulk operations keyed on the
observation's unique constraint: a second run of the same files changes nothing. ``release`` is the
file's name and ``source_row`` its row, so every figure leads back to a cell.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from authorities.toolkit.importing import ImportFailed, ImportReport, RowError
from indicators.catalogue import sync_catalogue
from indicators.models import (
    Frequency,
    Indicator,
    Observation,
    Polarity,
    Retirement,
    Source,
    Unit,
)
from indicators.permalinks import retire

from . import ees_mapping as mapping
from .ees_read import FileSource, ParsedFile, read_file
from .geography import BATCH, plan_authorities, write_authorities, write_regions

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


# --- writing ------------------------------------------------------------------------------------


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
                        "Not in the catalogue: indicators/official/ees_mapping.py does not say "
                        "what it means, which way is better or in what unit."
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
    "base_symbol",
)


def _editions(releases: set[str]) -> dict[str, datetime.date]:
    """Each official release file's edition: the end of the latest period it gave. One query."""
    if not releases:
        return {}
    rows = (
        Observation.objects.filter(source=Source.OFFICIAL, release__in=releases)
        .order_by()
        .values("release")
        .annotate(edition=Max("period_end"))
        .values_list("release", "edition")
    )
    return dict(rows)


def _write_observations(parsed: ParsedFile, indicator_ids: dict[str, int]) -> EesFileReport:
    """Create, update or leave each figure of the file.

    Each indicator comes from one release, and a new edition of a release republishes the
    earlier years, often revised. So one official figure is kept per area, indicator and period:
    the one from the newest edition, judged by the latest period each file covers (not by the
    order of import). A file of the same or a newer edition takes over the earlier edition's
    row (its release and row then name this file); an older edition imported after a newer one
    changes none of the newer edition's figures. The report says which happened, and how often.
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
    edition = max((draft.period.end for draft in parsed.drafts.values()), default=None)
    editions = _editions({row[5] for row in existing.values()} - {parsed.name})
    kept_newer: Counter[str] = Counter()
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
            draft.base_symbol,
        )
        key = (draft.area_code, indicator_id, draft.period.kind, draft.period.start)
        found = existing.pop(key, None)
        if found is not None and found[5] == parsed.name and tuple(found[6:]) == wanted:
            report.unchanged += 1
            continue
        held_edition = editions.get(found[5]) if found is not None else None
        if held_edition is not None and edition is not None and held_edition > edition:
            kept_newer[found[5]] += 1  # type: ignore[index]
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
    # Their links lead to the copy kept.
    retire(Observation.objects.filter(pk__in=duplicates), reason=Retirement.REPLACED)
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
    for newer, count in sorted(kept_newer.items()):
        report.notes.append(
            f"{count} figures are also in {newer}, a newer edition (to "
            f"{editions[newer]:%-d %B %Y}, this file to {edition:%-d %B %Y}): the newer "
            "edition's figures were kept, these were not imported"
        )
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
        region_ids, result.regions_created, result.regions_updated = write_regions(parsed_files)
        result.authorities_created, result.authorities_updated = write_authorities(plan, region_ids)
        indicator_ids = _write_indicators(parsed_files, result)
        for parsed in parsed_files:
            result.files.append(_write_observations(parsed, indicator_ids))
    return result
