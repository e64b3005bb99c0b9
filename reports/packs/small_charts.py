"""A board pack's small charts: each headline measure's own and England's figures over the
chart's span, with its milestones and inspections, written into the snapshot as plain data; and
the small multiple the SVG builder draws from that data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from django.db.models import Q

from authorities import dates
from authorities.models import ENGLAND_CODE, Authority
from indicators.models import Indicator, Observation, PeriodKind, Unit
from reports import sources
from reports.authority import selectors as authority_selectors
from reports.charts import trajectory as charts
from reports.formatting import format_value

from .figures import citation, citation_words
from .svg import Inspection, Point, SmallMultiple

# Each small chart shows the two years to its latest monthly figure, or the eight years to its
# latest yearly one: enough to see the trend, and the same size of pack whatever the history.
CHART_MONTHS = 24
CHART_YEARS = 8
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


def series_rows(
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


def chart(
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
