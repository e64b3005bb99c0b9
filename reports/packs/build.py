"""What a board pack shows, read once and written as plain JSON (the snapshot the pack keeps).

The scorecard is the authority page's headlines
(``reports.authority.selectors.authority_headlines``), not a second computation of them. Every
figure is written out as people read it when the pack is made, with where it came from, so the
kept pack shows the same words whatever changes later.
A fixed number of queries, whatever the number of authorities or periods.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Q

from authorities import dates
from authorities.models import ENGLAND_CODE, ENGLAND_NAME, Authority
from indicators.models import Indicator, Observation, PeriodKind, Source, Unit
from reports import sources
from reports.authority import selectors as authority_selectors
from reports.charts import trajectory as charts
from reports.formatting import format_change, format_value

from . import plan
from .svg import Inspection, Point, SmallMultiple

SCHEMA = 1
# Each small chart shows the two years to its latest monthly figure, or the eight years to its
# latest yearly one: enough to see the trend, and the same size of pack whatever the history.
CHART_MONTHS = 24
CHART_YEARS = 8
FIRST_PACK_MONTHS = 12  # a first pack looks back a year for events, inspections and notes
CITATION_FIELDS = ("id", "source", "release", "source_row", "section", "quote")
SERIES_FIELDS = (
    "id",
    "indicator_id",
    "area_code",
    "source",
    "period_kind",
    "period_start",
    "period_end",
    "period_label",
    "value",
    "symbol",
    "release",
    "source_row",
    "section",
    "quote",
)


@dataclass(frozen=True)
class Window:
    """The time a pack reports on: after ``start``, up to and including ``end`` (the meeting)."""

    start: datetime.date
    end: datetime.date
    previous_meeting: datetime.date | None = None
    previous_pack_id: int | None = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start < day <= self.end

    @property
    def words(self) -> str:
        if self.previous_meeting is not None:
            return (
                f"since the pack for the meeting of {dates.long_date(self.previous_meeting)}, "
                f"to {dates.long_date(self.end)}"
            )
        return (
            f"in the {FIRST_PACK_MONTHS} months to {dates.long_date(self.end)} "
            "(the first pack for this authority)"
        )

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "previous_meeting": self.previous_meeting.isoformat()
            if self.previous_meeting
            else None,
            "previous_pack_id": self.previous_pack_id,
            "words": self.words,
        }


def first_window(meeting_date: datetime.date) -> Window:
    """A first pack's window: the twelve months to the meeting."""
    return Window(start=dates.years_later(meeting_date, -1), end=meeting_date)


# --- how a figure and its source are written ----------------------------------------------------


def figure_key(indicator_code: str, area_code: str, row: Mapping[str, Any]) -> str:
    """What a figure stands for, whatever copy of it is published: compared across builds."""
    return "|".join(
        [indicator_code, area_code, str(row["source"]), str(row["period_kind"]), row["start"]]
    )


def citation(row: Mapping[str, Any]) -> dict:
    """Where a figure comes from, in the words of its source page: the file and row, the
    return with who approved it and when, or the report with its section and quote."""
    source = str(row["source"])
    label = {
        Source.REPORT: "Document",
        Source.MONTHLY_RETURN: "Return",
        Source.DEMO: "Generator",
    }.get(Source(source), "File")
    return {
        "source_words": str(Source(source).label),
        "label": label,
        "release": row.get("release") or "",
        "row": row.get("source_row"),
        "section": row.get("section") or "",
        "quote": row.get("quote") or "",
    }


def citation_words(cited: Mapping[str, Any]) -> str:
    """One line for a table cell: '2025 workforce.csv, row 12' or 'Monthly return ...;
    Approved by ... on ...'."""
    words = cited["release"] or cited["source_words"]
    if cited.get("row"):
        words += f", row {cited['row']}"
    if cited.get("section"):
        words += f"; {cited['section']}"
    return words


def _figure(
    row: Mapping[str, Any], indicator: Indicator, area_code: str, area_name: str, cited: dict
) -> dict:
    value = row["value"]
    return {
        "id": row["id"],
        "key": "",  # set below, once the start date is written
        "area_code": area_code,
        "area_name": area_name,
        "value": value,
        "symbol": row["symbol"] or "",
        "text": format_value(value, indicator.unit, indicator.decimals, row["symbol"] or ""),
        "period_label": row["period_label"],
        "period_kind": row["period_kind"],
        "start": row["period_start"].isoformat(),
        "end": row["period_end"].isoformat() if row.get("period_end") else "",
        "source": str(row["source"]),
        "citation": cited,
    }


def _keyed(figure: dict, indicator: Indicator) -> dict:
    figure["key"] = figure_key(indicator.code, figure["area_code"], figure)
    return figure


def _observation_row(observation: Observation) -> dict:
    return {
        "id": observation.pk,
        "value": observation.value,
        "symbol": observation.symbol,
        "period_label": observation.period_label,
        "period_kind": observation.period_kind,
        "period_start": observation.period_start,
        "period_end": getattr(observation, "period_end", None),
        "source": observation.source,
    }


# --- the scorecard -------------------------------------------------------------------------


def _direction_words(headline: authority_selectors.Headline) -> str:
    indicator = headline.indicator
    if headline.change is None or headline.direction == "same":
        return headline.direction_words
    moved = "up" if headline.change > 0 else "down"
    change = format_change(headline.change, indicator.unit, indicator.decimals)
    return f"{headline.direction_words}: {change} {moved}"


def _citations(ids: Iterable[int]) -> dict[int, dict]:
    rows = Observation.objects.filter(pk__in=set(ids)).order_by().values(*CITATION_FIELDS)
    return {row["id"]: citation(row) for row in rows}


def _indicator_json(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "polarity": indicator.polarity,
        "polarity_words": str(indicator.get_polarity_display()),
    }


def scorecard_row(
    authority: Authority, headline: authority_selectors.Headline, cited: dict[int, dict]
) -> dict:
    indicator = headline.indicator
    comparison = headline.comparison

    def shown(observation: Observation | None, area_code: str, area_name: str) -> dict | None:
        if observation is None:
            return None
        row = _observation_row(observation)
        return _keyed(
            _figure(row, indicator, area_code, area_name, cited.get(observation.pk, {})),
            indicator,
        )

    region = authority.region
    standing = comparison.standing
    milestone = headline.milestone
    return {
        "indicator": _indicator_json(indicator),
        "latest": shown(headline.latest, authority.gss_code, authority.name),
        "previous": shown(headline.previous, authority.gss_code, authority.name),
        "direction": headline.direction or "neutral",
        "arrow": headline.arrow,
        "direction_words": _direction_words(headline),
        "neighbours": (
            {
                "value": comparison.neighbours,
                "text": format_value(comparison.neighbours, indicator.unit, indicator.decimals),
                "count": comparison.neighbours_count,
            }
            if comparison.neighbours is not None
            else None
        ),
        "region": shown(comparison.region, region.code, region.name) if region else None,
        "england": shown(comparison.england, ENGLAND_CODE, ENGLAND_NAME),
        "band": standing.band if standing else "",
        "rank": standing.rank if standing else None,
        "of": standing.of if standing else None,
        "milestone": (
            {
                "value": milestone.milestone.value,
                "text": format_value(milestone.milestone.value, indicator.unit, indicator.decimals),
                "due_date": milestone.milestone.due_date.isoformat(),
                "due_words": dates.long_date(milestone.milestone.due_date),
                "rag": milestone.rag,
                "words": milestone.words,
            }
            if milestone
            else None
        ),
    }


# --- the small charts ----------------------------------------------------------------------


def _series_rows(
    authority: Authority, headlines: list[authority_selectors.Headline]
) -> dict[str, list]:
    """The authority's own figures and England's for every headline measure: two queries."""
    indicator_ids = [h.indicator.pk for h in headlines]
    own = list(
        Observation.objects.filter(area_code=authority.gss_code, indicator_id__in=indicator_ids)
        .order_by("period_end")
        .values(*SERIES_FIELDS)
    )
    against: dict[int, tuple[str, str]] = {}
    for headline in headlines:
        source = sources.comparator_source(headline.latest.source, authority)
        # Counts are not drawn against England's total (as on the authority page's chart).
        if source is not None and headline.indicator.unit != Unit.COUNT:
            against[headline.indicator.pk] = (str(source), headline.latest.period_kind)
    england: list[dict] = []
    if against:
        condition = Q()
        for indicator_id, (compared_with, period_kind) in against.items():
            condition |= Q(indicator_id=indicator_id, source=compared_with, period_kind=period_kind)
        england = list(
            Observation.objects.filter(condition, area_code=ENGLAND_CODE)
            .order_by("period_end")
            .values(*SERIES_FIELDS)
        )
    return {"own": own, "england": england}


def _in_chart(row: Mapping[str, Any], first: datetime.date, last: datetime.date) -> bool:
    return first < row["period_end"] <= last


def _chart(
    authority: Authority,
    headline: authority_selectors.Headline,
    rows: Mapping[str, list],
    inspections: list,
) -> dict:
    """One measure's small chart: its data (kept in the pack), its text alternative and its
    data table. The SVG is drawn from the data whenever the pack is shown."""
    indicator = headline.indicator
    latest = headline.latest
    last = latest.period_end
    monthly = latest.period_kind == PeriodKind.MONTH
    first = dates.years_later(last, -(CHART_MONTHS // 12 if monthly else CHART_YEARS))
    same = (latest.source, latest.period_kind)
    own = [
        r
        for r in rows["own"]
        if r["indicator_id"] == indicator.pk
        and (r["source"], r["period_kind"]) == same
        and _in_chart(r, first, last)
    ]
    against = sources.comparator_source(latest.source, authority)
    england = [
        r
        for r in rows["england"]
        if r["indicator_id"] == indicator.pk
        and r["source"] == against
        and r["period_kind"] == latest.period_kind
        and _in_chart(r, first, last)
    ]
    plan_dates = dates.plan_dates()
    milestones = [
        m
        for m in authority_selectors.authority_milestones(authority)
        if m.indicator_id == indicator.pk and m.due_date in plan_dates and m.due_date >= first
    ]
    chart_end = max([last, *(m.due_date for m in milestones)])
    drawn_inspections = [
        i
        for i in inspections
        if i.overall_grade
        and first <= (i.published_date or i.end_date or i.start_date) <= chart_end
    ]

    def point(row: Mapping[str, Any]) -> dict:
        return {
            "id": row["id"],
            "end": row["period_end"].isoformat(),
            "start": row["period_start"].isoformat(),
            "period_kind": row["period_kind"],
            "source": str(row["source"]),
            "label": row["period_label"],
            "value": row["value"],
            "symbol": row["symbol"] or "",
            "text": format_value(row["value"], indicator.unit, indicator.decimals, row["symbol"]),
            "citation": citation(row),
        }

    own_points = [point(r) for r in own]
    england_points = [point(r) for r in england]
    name = _chart_name(authority, indicator, own, england, milestones, drawn_inspections)
    description = _chart_description(
        authority, monthly, bool(england_points), bool(milestones), bool(drawn_inspections)
    )
    return {
        "name": name,
        "description": description,
        "own_role": "authority_monthly" if monthly else "authority",
        "own": own_points,
        "england": england_points,
        "milestones": [
            {
                "due_date": m.due_date.isoformat(),
                "value": m.value,
                "text": format_value(m.value, indicator.unit, indicator.decimals),
                "due_words": dates.long_date(m.due_date),
            }
            for m in milestones
        ],
        "inspections": [
            {
                "date": i.judgement_date.isoformat(),
                "date_words": dates.long_date(i.judgement_date),
                "grade": str(i.get_overall_grade_display()),
                "kind": str(i.get_kind_display()),
            }
            for i in drawn_inspections
        ],
        "table": _chart_table(own_points, england_points),
    }


def _chart_name(
    authority: Authority,
    indicator: Indicator,
    own: list[dict],
    england: list[dict],
    milestones: list,
    inspections: list,
) -> str:
    """The text alternative: the screen chart's description of the lines (the same function),
    then the milestones and inspections drawn."""
    records = [
        {
            "series": name,
            "role": role,
            "period_kind": r["period_kind"],
            "period_end": r["period_end"],
            "period_label": r["period_label"],
            "value": r["value"],
        }
        for role, name, rows in (
            ("authority", authority.name, own),
            ("england", "England", england),
        )
        for r in rows
    ]
    frame = pd.DataFrame(
        records, columns=["series", "role", "period_kind", "period_end", "period_label", "value"]
    )
    sentence = charts.describe_trajectory(
        frame,
        indicator_name=indicator.name,
        area_name=authority.name,
        unit=indicator.unit,
        decimals=indicator.decimals,
    )
    if milestones:
        targets = "; ".join(
            f"{format_value(m.value, indicator.unit, indicator.decimals)} by "
            f"{dates.long_date(m.due_date)}"
            for m in milestones
        )
        sentence += f" Milestones: {targets}."
    if inspections:
        judged = "; ".join(
            f"{i.get_overall_grade_display()} ({dates.month_words(i.judgement_date)})"
            for i in inspections
        )
        sentence += f" Ofsted judgements: {judged}."
    return sentence


def _chart_description(
    authority: Authority, monthly: bool, england: bool, milestones: bool, inspections: bool
) -> str:
    lines = [
        f"{authority.name}'s {'monthly' if monthly else 'yearly'} figures: a solid blue line"
        + (" with open circles" if monthly else " with dots")
    ]
    if england:
        lines.append("England: a black dash-dot line with diamonds")
    if milestones:
        lines.append("milestones: a green long-dashed line with crosses")
    if inspections:
        lines.append("Ofsted judgements: dotted grey upright lines, labelled with the grade")
    text = "; ".join(lines)
    return text[:1].upper() + text[1:] + "."


def _chart_table(own: list[dict], england: list[dict]) -> list[dict]:
    """The data table for a chart: one row per period, the authority's figure with its source,
    and England's for the same period."""
    england_by_end = {p["end"]: p for p in england}
    return [
        {
            "label": p["label"],
            "text": p["text"],
            "id": p["id"],
            "england": england_by_end[p["end"]]["text"] if p["end"] in england_by_end else "",
            "england_id": england_by_end[p["end"]]["id"] if p["end"] in england_by_end else None,
            "citation": citation_words(p["citation"]),
        }
        for p in own
    ]


def small_multiple(measure: Mapping[str, Any]) -> SmallMultiple:
    """The SVG builder's input, from a measure as the snapshot keeps it."""
    chart = measure["chart"]
    indicator = measure["indicator"]

    def points(rows: Iterable[Mapping[str, Any]], day: str = "end") -> list[Point]:
        return [
            Point(datetime.date.fromisoformat(r[day]), r["value"], r.get("label", "")) for r in rows
        ]

    return SmallMultiple(
        name=chart["name"],
        description=chart["description"],
        unit=indicator["unit"],
        decimals=indicator["decimals"],
        own=points(chart["own"]),
        own_role=chart["own_role"],
        england=points(chart["england"]),
        milestones=points(chart["milestones"], "due_date"),
        inspections=[
            Inspection(datetime.date.fromisoformat(i["date"]), i["grade"])
            for i in chart["inspections"]
        ],
    )


# --- what happened since the last pack -----------------------------------------------------


def _events(authority: Authority, window: Window) -> list[dict]:
    return [
        {
            "date": event.date.isoformat(),
            "date_words": event.date_label or dates.long_date(event.date),
            "category": str(event.get_category_display()),
            "description": event.description,
            "source": event.document,
            "section": event.section,
            "quote": event.quote,
            "is_demo": event.is_demo,
        }
        for event in sorted(authority.events.all(), key=lambda e: e.date)
        if event.date in window
    ]


def _inspections(inspections: list, window: Window) -> list[dict]:
    rows = []
    for inspection in sorted(inspections, key=lambda i: i.start_date):
        judged = inspection.judgement_date
        if inspection.start_date not in window and judged not in window:
            continue
        rows.append(
            {
                "kind": str(inspection.get_kind_display()),
                "framework": inspection.framework,
                "framework_words": str(inspection.get_framework_display()),
                "start_words": dates.long_date(inspection.start_date),
                "end_words": dates.long_date(inspection.end_date) if inspection.end_date else "",
                "published_words": dates.long_date(inspection.published_date)
                if inspection.published_date
                else "",
                "grade": str(inspection.get_overall_grade_display()) or "Not graded",
                "source": inspection.source,
                "source_row": inspection.source_row,
                "is_demo": inspection.is_demo,
            }
        )
    return rows


def _notes(authority: Authority, window: Window) -> list[dict]:
    """The notes published with the monthly-return figures of the months the pack reports on.
    Only what was published: a return's internal notes never leave the return."""
    figures = (
        Observation.objects.filter(
            area_code=authority.gss_code,
            source=Source.MONTHLY_RETURN,
            period_end__gt=window.start,
            period_end__lte=window.end,
        )
        .exclude(note="")
        .select_related("indicator")
        .order_by("period_end", "indicator__sort_order", "indicator__code")
    )
    return [
        {
            "id": figure.pk,
            "indicator": figure.indicator.name,
            "period_label": figure.period_label,
            "text": format_value(
                figure.value, figure.indicator.unit, figure.indicator.decimals, figure.symbol
            ),
            "note": figure.note,
            "citation": citation(
                {name: getattr(figure, name) for name in CITATION_FIELDS if name != "id"}
            ),
        }
        for figure in figures
    ]


# --- the pack ------------------------------------------------------------------------------


def build_pack(
    authority: Authority,
    *,
    meeting_date: datetime.date,
    window: Window,
    today: datetime.date | None = None,
) -> dict:
    """Everything the pack for ``meeting_date`` shows, as plain JSON. ``authority`` should come
    from ``selectors.get_authority(..., with_history=True)``: its inspections, events and
    milestones are read through it."""
    today = today or datetime.date.today()
    headlines = authority_selectors.authority_headlines(authority, today=today)
    shown_ids = [
        observation.pk
        for h in headlines
        for observation in (h.latest, h.previous, h.comparison.region, h.comparison.england)
        if observation is not None
    ]
    cited = _citations(shown_ids)
    rows = _series_rows(authority, headlines)
    inspections = authority_selectors.authority_inspections(authority)
    measures = []
    for headline in headlines:
        measure = scorecard_row(authority, headline, cited)
        measure["chart"] = _chart(authority, headline, rows, inspections)
        measures.append(measure)
    plan_rows = plan.plan_summary(authority, today=today)
    return {
        "schema": SCHEMA,
        "authority": {
            "gss_code": authority.gss_code,
            "name": authority.name,
            "region": authority.region.name if authority.region else "",
            "is_demo": authority.is_demo,
        },
        "meeting_date": meeting_date.isoformat(),
        "meeting_words": dates.long_date(meeting_date),
        "built_on": today.isoformat(),
        "window": window.as_json(),
        "neighbours_method": "mean",
        "measures": measures,
        "plan": {
            "rows": plan_rows,
            "heading": "Improvement plan" if plan_rows else plan.NO_ACTIONS,
        },
        "events": _events(authority, window),
        "inspections": _inspections(inspections, window),
        "notes": _notes(authority, window),
        "shows_demo_data": authority.is_demo
        or any(h.latest.source == Source.DEMO for h in headlines),
    }


def measure_sources(measures: list[dict]) -> list[dict]:
    """Every scorecard figure with its source, numbered in the order the scorecard shows them:
    the pack's list of sources."""
    listed = []
    for measure in measures:
        for role in ("latest", "previous", "region", "england"):
            figure = measure.get(role)
            if figure:
                listed.append({"indicator": measure["indicator"]["name"], **figure})
    return listed


def figures_by_key(measures: list[dict]) -> dict[str, dict]:
    """Every figure a pack shows (scorecard and charts), by what it stands for."""
    found: dict[str, dict] = {}
    for measure in measures:
        indicator = measure["indicator"]
        for role in ("latest", "previous", "region", "england"):
            figure = measure.get(role)
            if figure:
                found.setdefault(figure["key"], {**figure, "indicator": indicator})
        chart = measure.get("chart") or {}
        for area_code, area_name, points in (
            (measure["latest"]["area_code"], measure["latest"]["area_name"], chart.get("own", [])),
            (ENGLAND_CODE, ENGLAND_NAME, chart.get("england", [])),
        ):
            for p in points:
                key = figure_key(indicator["code"], area_code, p)
                found.setdefault(
                    key,
                    {
                        **p,
                        "key": key,
                        "area_code": area_code,
                        "area_name": area_name,
                        "period_label": p["label"],
                        "indicator": indicator,
                    },
                )
    return found
