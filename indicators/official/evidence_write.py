"""Write the evidence read out of the founding reports (``evidence_read``): documents, figures,
the observations dated figures become, and events, all in one transaction.

A second run of the same files changes nothing. Rows are matched on their natural keys (for a
figure: document, area, indicator, period as worded, comparator and quote); figures,
observations and events of the listed documents that the files no longer hold are deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

from django.db import transaction

from authorities.models import Authority, Event
from authorities.toolkit.importing import (
    ImportFailed,
    ImportReport,
    RowError,
)
from indicators.models import (
    AreaLevel,
    Document,
    Evidence,
    Indicator,
    Observation,
    Source,
)

from .evidence_read import (
    CATALOGUE_MAPPING,
    DEFAULT_DIRECTORY,
    EVENTS,
    EVIDENCE,
    OBSERVATION_SECTION_LENGTH,
    EvidenceRow,
    ParsedReports,
    observation_period,
    parse_reports,
)

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
        Observation.objects.filter(pk__in=stale).delete()  # their evidence stays, unlinked
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
