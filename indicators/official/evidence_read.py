"""Import the evidence read out of the founding reports: documents, figures and events.

A directory holds three CSV files (the project ships a copy in ``indicators/data/reports/``):

* ``documents.csv``: one row per report (file, title, authority, GSS code, kind, publication date
  as "YYYY", "YYYY-MM" or "YYYY-MM-DD", author) → ``Document``.
* ``evidence.csv``: one row per figure → ``Evidence``, keeping its document, section and exact
  quote. A figure that is dated (``period_start``), is the authority's own (no ``comparator``),
  is a number, and whose indicator is in ``CATALOGUE_MAPPING`` also becomes an ``Observation``
  with source "report evidence" (release = the document's file name), linked from the evidence.
  Comparator rows (England, statistical neighbours, targets, projections) stay evidence only;
  they belong to the document's authority, and ``area_name`` says what they describe.
* ``events.csv``: dated events → ``authorities.Event`` in their category.

Decisions:

* A ``period_start`` that is not a date (the file has "2010-17-01" for the span "2010-17") is
  kept as undated evidence, as the data README asks, and the report lists the rows. A document's
  ``published`` date that does not parse, or a precision or category outside the known ones, is
  an error.
* Events with no date, or an unparseable one (the same "2016-17-01" spans), cannot be ``Event``
  rows (the date is required), and England-wide events belong to no authority: they are skipped
  and the report lists them. An event with no document
  is credited to its authority's report when documents.csv lists exactly one for that authority.
  A ``date_label`` longer than ``Event.date_label`` allows is shortened with "…".
* Authorities are found by GSS code; one not in the database is created from its code and name,
  with no region or DfE code (the EES importer fills those in when it runs).
* A second run of the same files changes nothing. Rows are matched on their natural keys (for a
  figure: document, area, indicator, period as worded, comparator and quote); figures,
  observations and events of the listed documents that the files no longer hold are deleted.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from authorities.models import Authority, DatePrecision, Event, EventCategory
from authorities.toolkit.gss import is_authority_code, is_english_code
from authorities.toolkit.importing import (
    CsvTable,
    ImportFailed,
    ImportReport,
    RowError,
    parse_iso_date,
    read_csv,
)
from indicators.models import (
    AreaLevel,
    Document,
    Evidence,
    Indicator,
    Observation,
    PeriodKind,
    Source,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "reports"
DOCUMENTS = "documents.csv"
EVIDENCE = "evidence.csv"
EVENTS = "events.csv"

DOCUMENT_COLUMNS = ["document", "title", "authority", "gss_code", "kind", "published"]
EVIDENCE_COLUMNS = [
    "authority",
    "gss_code",
    "indicator",
    "period_label",
    "period_start",
    "period_precision",
    "value",
    "unit",
    "comparator",
    "document",
    "section",
    "quote",
]
EVENT_COLUMNS = [
    "authority",
    "gss_code",
    "date_label",
    "date",
    "date_precision",
    "category",
    "detail_type",
    "description",
    "document",
    "quote",
]

# The report's indicator name → (catalogue code, the unit the report gives it in). Only figures
# whose definition matches the catalogue's. Left out on purpose: social_worker_sickness_absence_pct
# (share of staff off sick, not days lost), agency_staff_rate_pct (per service, all staff),
# agency_rate_approx_pct ("around"), re_referrals_month_pct (one month, not 12), the 24-hour
# contact and referral measures (not one working day), s47_enquiries_rate (a rate, not a count),
# and single workers' caseloads.
CATALOGUE_MAPPING: dict[str, tuple[str, str]] = {
    "unallocated_cases": ("unallocated_cases", "count"),
    "social_worker_caseload_avg": ("avg_caseload", "cases_per_worker"),
    "agency_social_worker_pct": ("agency_sw_pct", "pct"),
    "social_worker_vacancy_pct": ("sw_vacancy_pct", "pct"),
    "social_worker_turnover_pct": ("sw_turnover_pct", "pct"),
    "re_referrals_12m_pct": ("rereferrals_12m_pct", "pct"),
    "assessments_within_45_days_pct": ("assessments_45wd_pct", "pct"),
    "initial_cpc_within_15_days_pct": ("icpc_15wd_pct", "pct"),
    "cp_plans_count": ("cp_plans", "count"),
    "cp_plans_second_or_subsequent_pct": ("cp_plans_repeat_pct", "pct"),
    "cp_visits_in_timescale_pct": ("cp_visits_in_time_pct", "pct"),
    "cla_count": ("cla", "count"),
    "cla_rate_per_10k": ("cla_rate_per_10k", "rate_per_10k"),
    "cla_visits_in_timescale_pct": ("cla_visits_in_time_pct", "pct"),
    "cla_reviews_on_time_pct": ("cla_reviews_in_time_pct", "pct"),
    "missing_children_rhi_within_72h_pct": ("rhi_72h_pct", "pct"),
    "care_leavers_eet_pct": ("care_leavers_eet_pct", "pct"),
    "care_leavers_suitable_accommodation_pct": ("care_leavers_accom_pct", "pct"),
}

PRECISIONS = ", ".join(p.value for p in DatePrecision)
DATE_LABEL_LENGTH = Event._meta.get_field("date_label").max_length or 100
OBSERVATION_SECTION_LENGTH = Observation._meta.get_field("section").max_length or 200


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class DocumentRow:
    row: int
    file_name: str
    title: str
    authority_name: str
    gss_code: str
    kind: str
    published_date: datetime.date | None
    published_precision: str
    author: str


@dataclass
class EvidenceRow:
    row: int
    area_name: str
    gss_code: str  # the authority the figure belongs to (the document's for comparator rows)
    own_figure: bool  # the row names the authority itself and no comparator
    indicator_name: str
    period_label: str
    period_start: datetime.date | None
    period_precision: str
    value: float | None
    value_text: str
    unit: str
    comparator: str
    document: str
    section: str
    quote: str

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.document,
            self.area_name,
            self.indicator_name,
            self.period_label,
            self.comparator,
            self.quote,
        )


@dataclass
class EventRow:
    row: int
    authority_name: str
    gss_code: str
    date: datetime.date
    precision: str
    date_label: str
    category: str
    detail_type: str
    description: str
    document: str
    quote: str


@dataclass
class ParsedReports:
    directory: str
    documents: list[DocumentRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Every file name documents.csv lists, with or without errors of its own: rows that cite a
    # listed document with an error are not errors too.
    listed: set[str] = field(default_factory=set)


def _read(directory: Path, name: str, columns: list[str], errors: list[RowError]) -> CsvTable:
    try:
        return read_csv(directory / name, required=columns)
    except ImportFailed as failure:
        errors.extend(failure.errors)
        return CsvTable(name, [], [])


def parse_reports(directory: Path) -> ParsedReports:
    """Read and check the three files; no database access."""
    directory = Path(directory)
    parsed = ParsedReports(str(directory))
    if not directory.is_dir():
        parsed.errors.append(RowError(str(directory), None, None, "not a directory"))
        return parsed
    documents = _read(directory, DOCUMENTS, DOCUMENT_COLUMNS, parsed.errors)
    evidence = _read(directory, EVIDENCE, EVIDENCE_COLUMNS, parsed.errors)
    events = _read(directory, EVENTS, EVENT_COLUMNS, parsed.errors)
    _parse_documents(documents, parsed)
    _parse_evidence(evidence, parsed)
    _parse_events(events, parsed)
    return parsed


def _gss_error(file: str, row: int, code: str) -> RowError:
    return RowError(
        file,
        row,
        "gss_code",
        f"{code!r} is not the GSS code of an authority with children's services "
        "(E06, E08, E09 or E10 and 6 digits)",
    )


def _parse_documents(table: CsvTable, parsed: ParsedReports) -> None:
    seen: dict[str, int] = {}
    for number, values in table.rows:
        errors: list[RowError] = []
        name = values["document"]
        parsed.listed.add(name)
        if not name:
            errors.append(RowError(table.file, number, "document", "no file name"))
        elif name in seen:
            errors.append(
                RowError(table.file, number, "document", f"{name} is also on row {seen[name]}")
            )
        seen.setdefault(name, number)
        if not values["title"]:
            errors.append(RowError(table.file, number, "title", "no title"))
        gss_code = values["gss_code"]
        if gss_code and not is_authority_code(gss_code):
            errors.append(_gss_error(table.file, number, gss_code))
        published, precision = None, ""
        if values["published"]:
            found = parse_iso_date(values["published"])
            if found is None:
                message = f"{values['published']!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                errors.append(RowError(table.file, number, "published", message))
            else:
                published, precision = found
        if errors:
            parsed.errors.extend(errors)
            continue
        parsed.documents.append(
            DocumentRow(
                row=number,
                file_name=name,
                title=values["title"],
                authority_name=values["authority"],
                gss_code=gss_code,
                kind=values["kind"],
                published_date=published,
                published_precision=precision,
                author=values.get("author", ""),
            )
        )


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_evidence(table: CsvTable, parsed: ParsedReports) -> None:
    documents = {document.file_name: document for document in parsed.documents}
    seen: dict[tuple[str, ...], int] = {}
    undated: list[str] = []
    for number, values in table.rows:
        errors: list[RowError] = []
        document = documents.get(values["document"])
        if values["document"] not in parsed.listed:
            message = f"{values['document']!r} is not in {DOCUMENTS}"
            errors.append(RowError(table.file, number, "document", message))
        gss_code = values["gss_code"]
        if gss_code and not is_authority_code(gss_code):
            errors.append(_gss_error(table.file, number, gss_code))
        elif not gss_code and document is not None and not document.gss_code:
            message = "no GSS code, and its document names no authority either"
            errors.append(RowError(table.file, number, "gss_code", message))
        for column in ("indicator", "quote"):
            if not values[column]:
                errors.append(RowError(table.file, number, column, f"no {column}"))
        start: datetime.date | None = None
        precision = ""
        if values["period_start"]:
            found = parse_iso_date(values["period_start"])
            if found is None:
                undated.append(f"row {number} ({values['period_start']!r})")
            else:
                start = found[0]
                precision = values["period_precision"]
                if precision not in DatePrecision.values:
                    message = f"{precision!r} is not a precision ({PRECISIONS})"
                    errors.append(RowError(table.file, number, "period_precision", message))
        value = _number(values["value"]) if values["value"] else None
        row = EvidenceRow(
            row=number,
            area_name=values["authority"],
            gss_code=gss_code or (document.gss_code if document else ""),
            own_figure=bool(gss_code) and not values["comparator"],
            indicator_name=values["indicator"],
            period_label=values["period_label"],
            period_start=start,
            period_precision=precision,
            value=value,
            value_text="" if value is not None else values["value"],
            unit=values["unit"],
            comparator=values["comparator"],
            document=values["document"],
            section=values["section"],
            quote=values["quote"],
        )
        if row.key in seen:
            message = f"the same figure, period, comparator and quote as row {seen[row.key]}"
            errors.append(RowError(table.file, number, "quote", message))
        seen.setdefault(row.key, number)
        if errors:
            parsed.errors.extend(errors)
        elif document is not None:  # else its document has an error of its own
            parsed.evidence.append(row)
    if undated:
        parsed.notes.append(
            f"{EVIDENCE}: period_start is not a date on {', '.join(undated)}: "
            "kept as undated evidence"
        )


def _parse_events(table: CsvTable, parsed: ParsedReports) -> None:
    by_authority: dict[str, list[str]] = {}
    for listed in parsed.documents:
        by_authority.setdefault(listed.gss_code, []).append(listed.file_name)
    seen: dict[tuple[str, datetime.date, str, str], int] = {}
    undated: list[int] = []
    unparseable: list[str] = []
    not_authorities: list[int] = []
    credited = 0
    shortened = 0
    for number, values in table.rows:
        errors: list[RowError] = []
        gss_code = values["gss_code"]
        if not is_english_code(gss_code):
            errors.append(_gss_error(table.file, number, gss_code))
        elif not is_authority_code(gss_code):
            not_authorities.append(number)  # England-wide context
            continue
        if not values["date"]:
            undated.append(number)
            continue
        found = parse_iso_date(values["date"])
        if found is None:  # like "2016-17-01" for the span 2016-17: undated, as the README says
            unparseable.append(f"row {number} ({values['date']!r})")
            continue
        date, precision = found[0], values["date_precision"]
        if precision not in DatePrecision.values:
            message = f"{precision!r} is not a precision ({PRECISIONS})"
            errors.append(RowError(table.file, number, "date_precision", message))
        if values["category"] not in EventCategory.values:
            categories = ", ".join(EventCategory.values)
            message = f"{values['category']!r} is not a category ({categories})"
            errors.append(RowError(table.file, number, "category", message))
        if not values["description"]:
            errors.append(RowError(table.file, number, "description", "no description"))
        document = values["document"]
        if document and document not in parsed.listed:
            message = f"{document!r} is not in {DOCUMENTS}"
            errors.append(RowError(table.file, number, "document", message))
        elif not document and len(by_authority.get(gss_code, [])) == 1:
            document = by_authority[gss_code][0]
            credited += 1
        key = (gss_code, date, values["category"], values["description"])
        if key in seen:
            message = f"the same event (date, category, description) as row {seen[key]}"
            errors.append(RowError(table.file, number, "description", message))
        seen.setdefault(key, number)
        if errors:
            parsed.errors.extend(errors)
            continue
        label = values["date_label"]
        if len(label) > DATE_LABEL_LENGTH:
            label = label[: DATE_LABEL_LENGTH - 1] + "…"
            shortened += 1
        parsed.events.append(
            EventRow(
                row=number,
                authority_name=values["authority"],
                gss_code=gss_code,
                date=date,
                precision=precision,
                date_label=label,
                category=values["category"],
                detail_type=values["detail_type"][:60],
                description=values["description"],
                document=document,
                quote=values["quote"],
            )
        )
    if undated:
        parsed.notes.append(f"{EVENTS}: {len(undated)} events with no date skipped")
    if unparseable:
        parsed.notes.append(
            f"{EVENTS}: date is not a date on {', '.join(unparseable)}: skipped as undated"
        )
    if not_authorities:
        rows = ", ".join(str(row) for row in not_authorities)
        parsed.notes.append(f"{EVENTS}: events of no authority (England) skipped: rows {rows}")
    if credited:
        parsed.notes.append(
            f"{EVENTS}: {credited} events with no document credited to their authority's "
            "only report"
        )
    if shortened:
        parsed.notes.append(f"{EVENTS}: {shortened} date labels shortened")


# --- periods -----------------------------------------------------------------------------------


def observation_period(start: datetime.date, precision: str) -> tuple[str, datetime.date, str]:
    """(period kind, period end, label) of a dated figure."""
    if precision == DatePrecision.DAY:
        return PeriodKind.DAY, start, f"{start.day} {start:%B %Y}"
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(start.year, start.month)[1]
        return PeriodKind.MONTH, start.replace(day=last), f"{start:%B %Y}"
    if precision == DatePrecision.QUARTER:
        month = start.month + 2
        year = start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return PeriodKind.QUARTER, end, f"{start:%B} to {end:%B %Y}"
    if precision == DatePrecision.FINANCIAL_YEAR:
        end = datetime.date(start.year + 1, start.month, start.day) - datetime.timedelta(days=1)
        return PeriodKind.FINANCIAL_YEAR, end, f"{start.year}-{(start.year + 1) % 100:02d}"
    end = datetime.date(start.year, 12, 31)
    return PeriodKind.CALENDAR_YEAR, end, str(start.year)


# --- writing -----------------------------------------------------------------------------------


def import_evidence(directory: Path | None = None) -> ImportReport:
    """Read the report evidence in ``directory`` (the shipped copy by default) and store it."""
    return write_reports(parse_reports(Path(directory or DEFAULT_DIRECTORY)))


def write_reports(parsed: ParsedReports) -> ImportReport:
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    report = ImportReport(file=parsed.directory)
    with transaction.atomic():
        indicators = _catalogue_indicators()
        authorities = _authorities(parsed, report)
        documents = _write_documents(parsed, authorities, report)
        observations = _write_observations(parsed, indicators, report)
        _write_evidence(parsed, authorities, documents, indicators, observations, report)
        _write_events(parsed, authorities, report)
    report.notes.extend(parsed.notes)
    return report


def _count(report: ImportReport, what: str, created: int, updated: int, unchanged: int) -> None:
    report.created += created
    report.updated += updated
    report.unchanged += unchanged
    report.notes.append(f"{what}: {created} created, {updated} updated, {unchanged} unchanged")


def _catalogue_indicators() -> dict[str, Indicator]:
    codes = {code for code, _ in CATALOGUE_MAPPING.values()}
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        message = f"catalogue indicators missing from the database: {', '.join(missing)}"
        raise ImportFailed([RowError("indicator catalogue", None, None, message)])
    return found


def _authorities(parsed: ParsedReports, report: ImportReport) -> dict[str, Authority]:
    names: dict[str, str] = {}
    for document in parsed.documents:
        if document.gss_code and document.authority_name:
            names.setdefault(document.gss_code, document.authority_name)
    for figure in parsed.evidence:
        if figure.own_figure:
            names.setdefault(figure.gss_code, figure.area_name)
    for event in parsed.events:
        names.setdefault(event.gss_code, event.authority_name)
    codes = {d.gss_code for d in parsed.documents if d.gss_code}
    codes |= {figure.gss_code for figure in parsed.evidence}
    codes |= {event.gss_code for event in parsed.events}
    found = {a.gss_code: a for a in Authority.objects.filter(gss_code__in=codes)}
    new = [
        Authority(gss_code=code, name=names.get(code) or code)
        for code in sorted(codes - set(found))
    ]
    if new:
        Authority.objects.bulk_create(new)
        described = ", ".join(f"{a.name} ({a.gss_code})" for a in new)
        report.notes.append(f"authorities created from their GSS code and name: {described}")
        found.update({a.gss_code: a for a in new})
    return found


def _changed(instance: object, values: Mapping[str, object]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _write_documents(
    parsed: ParsedReports, authorities: dict[str, Authority], report: ImportReport
) -> dict[str, Document]:
    existing = {d.file_name: d for d in Document.objects.filter(file_name__in=_names(parsed))}
    to_create, to_update, unchanged = [], [], 0
    for row in parsed.documents:
        authority = authorities.get(row.gss_code)
        values = {
            "title": row.title[:300],
            "authority_id": authority.pk if authority else None,
            "gss_code": row.gss_code,
            "kind": row.kind[:40],
            "published_date": row.published_date,
            "published_precision": row.published_precision,
            "author": row.author[:200],
        }
        document = existing.get(row.file_name)
        if document is None:
            document = Document(file_name=row.file_name)
            _changed(document, values)
            to_create.append(document)
            existing[row.file_name] = document
        elif _changed(document, values):
            to_update.append(document)
        else:
            unchanged += 1
    Document.objects.bulk_create(to_create)
    if to_update:
        fields = ["title", "authority", "gss_code", "kind", "published_date"]
        Document.objects.bulk_update(to_update, [*fields, "published_precision", "author"])
    _count(report, "documents", len(to_create), len(to_update), unchanged)
    return existing


def _names(parsed: ParsedReports) -> list[str]:
    return [document.file_name for document in parsed.documents]


ObservationKey = tuple[str, int, str, datetime.date, str, str]


def _observation_key(
    figure: EvidenceRow, indicators: dict[str, Indicator]
) -> ObservationKey | None:
    """The key of the observation a figure becomes, or None if it stays evidence only."""
    mapped = CATALOGUE_MAPPING.get(figure.indicator_name)
    if (
        mapped is None
        or figure.period_start is None
        or not figure.own_figure
        or figure.value is None
        or figure.unit != mapped[1]
    ):
        return None
    kind, _, _ = observation_period(figure.period_start, figure.period_precision)
    indicator = indicators[mapped[0]]
    return (
        figure.gss_code,
        indicator.pk,
        kind,
        figure.period_start,
        Source.REPORT,
        figure.document,
    )


def _write_observations(
    parsed: ParsedReports, indicators: dict[str, Indicator], report: ImportReport
) -> dict[ObservationKey, Observation]:
    wanted: dict[ObservationKey, EvidenceRow] = {}
    clashes = []
    for figure in parsed.evidence:
        key = _observation_key(figure, indicators)
        if key is None:
            continue
        if key in wanted:
            clashes.append(f"row {figure.row} (as row {wanted[key].row})")
            continue
        wanted[key] = figure
    if clashes:
        report.notes.append(
            f"{EVIDENCE}: figures for a period that already has one from the same document stay "
            f"evidence only: {', '.join(clashes)}"
        )
    existing: dict[ObservationKey, Observation] = {
        (o.area_code, o.indicator_id, o.period_kind, o.period_start, o.source, o.release): o
        for o in Observation.objects.filter(source=Source.REPORT, release__in=_names(parsed))
    }
    to_create, to_update, unchanged = [], [], 0
    result: dict[ObservationKey, Observation] = {}
    fields = ["area_level", "period_end", "period_label", "value", "symbol", "numerator"]
    fields += ["denominator", "section", "quote"]
    for key, figure in wanted.items():
        area_code, indicator_id, kind, start, source, release = key
        _, end, label = observation_period(start, figure.period_precision)
        values = {
            "area_level": AreaLevel.AUTHORITY,
            "period_end": end,
            "period_label": label,
            "value": figure.value,
            "symbol": "",
            "numerator": None,
            "denominator": None,
            "section": figure.section[:OBSERVATION_SECTION_LENGTH],
            "quote": figure.quote,
        }
        observation = existing.get(key)
        if observation is None:
            observation = Observation(
                area_code=area_code,
                indicator_id=indicator_id,
                period_kind=kind,
                period_start=start,
                source=source,
                release=release,
            )
            _changed(observation, values)
            to_create.append(observation)
        elif _changed(observation, values):
            to_update.append(observation)
        else:
            unchanged += 1
        result[key] = observation
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    if stale:
        Evidence.objects.filter(observation_id__in=stale).update(observation=None)
        Observation.objects.filter(pk__in=stale).delete()
        report.notes.append(f"observations no longer in {EVIDENCE} deleted: {len(stale)}")
    Observation.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Observation.objects.bulk_update(to_update, fields, batch_size=500)
    _count(report, "observations", len(to_create), len(to_update), unchanged)
    return result


def _write_evidence(
    parsed: ParsedReports,
    authorities: dict[str, Authority],
    documents: dict[str, Document],
    indicators: dict[str, Indicator],
    observations: dict[ObservationKey, Observation],
    report: ImportReport,
) -> None:
    stored = Evidence.objects.filter(document__file_name__in=_names(parsed)).select_related(
        "document"
    )
    existing = {
        (
            e.document.file_name,
            e.area_name,
            e.indicator_name,
            e.period_label,
            e.comparator,
            e.quote,
        ): e
        for e in stored
    }
    to_create, to_update, unchanged = [], [], 0
    fields = ["authority", "indicator", "period_start", "period_precision", "value"]
    fields += ["value_text", "unit", "section", "observation"]
    for figure in parsed.evidence:
        mapped = CATALOGUE_MAPPING.get(figure.indicator_name)
        key = _observation_key(figure, indicators)
        observation = observations.get(key) if key else None
        values = {
            "authority_id": authorities[figure.gss_code].pk,
            "indicator_id": indicators[mapped[0]].pk if mapped else None,
            "period_start": figure.period_start,
            "period_precision": figure.period_precision,
            "value": figure.value,
            "value_text": figure.value_text[:100],
            "unit": figure.unit[:40],
            "section": figure.section[:300],
            "observation_id": observation.pk if observation else None,
        }
        evidence = existing.pop(figure.key, None)
        if evidence is None:
            evidence = Evidence(
                document=documents[figure.document],
                area_name=figure.area_name[:100],
                indicator_name=figure.indicator_name[:120],
                period_label=figure.period_label[:200],
                comparator=figure.comparator[:100],
                quote=figure.quote,
            )
            _changed(evidence, values)
            to_create.append(evidence)
        elif _changed(evidence, values):
            to_update.append(evidence)
        else:
            unchanged += 1
    if existing:
        Evidence.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
        report.notes.append(f"evidence no longer in {EVIDENCE} deleted: {len(existing)}")
    Evidence.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Evidence.objects.bulk_update(to_update, fields, batch_size=500)
    _count(report, "evidence", len(to_create), len(to_update), unchanged)


def _write_events(
    parsed: ParsedReports, authorities: dict[str, Authority], report: ImportReport
) -> None:
    ids = {authorities[event.gss_code].pk for event in parsed.events}
    names = set(_names(parsed))
    existing = {
        (e.authority_id, e.date, e.category, e.description): e
        for e in Event.objects.filter(authority_id__in=ids)
    }
    to_create, to_update, unchanged = [], [], 0
    wanted = set()
    fields = ["precision", "date_label", "detail_type", "document", "quote"]
    for row in parsed.events:
        authority = authorities[row.gss_code]
        key = (authority.pk, row.date, row.category, row.description)
        wanted.add(key)
        values = {
            "precision": row.precision,
            "date_label": row.date_label,
            "detail_type": row.detail_type,
            "document": row.document,
            "quote": row.quote,
        }
        event = existing.get(key)
        if event is None:
            event = Event(
                authority=authority,
                date=row.date,
                category=row.category,
                description=row.description,
            )
            _changed(event, values)
            to_create.append(event)
        elif _changed(event, values):
            to_update.append(event)
        else:
            unchanged += 1
    stale = [e.pk for key, e in existing.items() if key not in wanted and e.document in names]
    if stale:
        Event.objects.filter(pk__in=stale).delete()
        report.notes.append(f"events no longer in {EVENTS} deleted: {len(stale)}")
    Event.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Event.objects.bulk_update(to_update, fields, batch_size=500)
    _count(report, "events", len(to_create), len(to_update), unchanged)
