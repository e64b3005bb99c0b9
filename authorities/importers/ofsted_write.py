"""Import Ofsted's local authority inspection outcomes into ``Inspection`` rows: the workbooks are
read by ``ofsted_read``, then their authorities found and their inspections stored, all or nothing.

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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from authorities.models import (
    Authority,
    Framework,
    Inspection,
    Region,
)
from authorities.toolkit.gss import is_authority_code, is_dfe_code, is_english_code
from authorities.toolkit.importing import (
    AuthorityIndex,
    ImportFailed,
    ImportReport,
    RowError,
    normalise_header,
)

from .ofsted_layout import GRADED_KINDS, HISTORY_SHEET, TYPE_PREFIXES
from .ofsted_read import ParsedInspection, ParsedWorkbook, parse_workbook

# Two graded ILACS inspections of one authority published this close together are one inspection.
SAME_INSPECTION_DAYS = 92


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
