"""The evidence taken from the founding reports, read and checked row by row: documents, figures
and events (``evidence_write.import_evidence`` then stores them, all or nothing).

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
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from pathlib import Path

from authorities.models import DatePrecision, Event, EventCategory
from authorities.toolkit.gss import is_authority_code, is_english_code
from authorities.toolkit.importing import (
    CsvTable,
    ImportFailed,
    RowError,
    parse_iso_date,
    read_csv,
)
from authorities.toolkit.months import month_index, month_last
from indicators.models import (
    Observation,
    PeriodKind,
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
        return PeriodKind.MONTH, month_last(month_index(start)), f"{start:%B %Y}"
    if precision == DatePrecision.QUARTER:
        end = month_last(month_index(start) + 2)
        return PeriodKind.QUARTER, end, f"{start:%B} to {end:%B %Y}"
    if precision == DatePrecision.FINANCIAL_YEAR:
        end = datetime.date(start.year + 1, start.month, start.day) - datetime.timedelta(days=1)
        return PeriodKind.FINANCIAL_YEAR, end, f"{start.year}-{(start.year + 1) % 100:02d}"
    end = datetime.date(start.year, 12, 31)
    return PeriodKind.CALENDAR_YEAR, end, str(start.year)
