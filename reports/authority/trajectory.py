"""The trajectory chart's data: an authority's series for one indicator with its comparators,
inspections, events and milestones, as plain DataFrames for the pure chart builder."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Q

from authorities import dates
from authorities.models import ENGLAND_CODE, ENGLAND_NAME, Authority
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, Indicator, Observation, PeriodKind, Source, Unit

from .. import bands
from ..selectors import neighbour_codes
from ..sources import SOURCE_WORDS, comparator_source

POINT_COLUMNS = [
    "series",
    "role",
    "source",
    "period_kind",
    "period_label",
    "period_end",
    "value",
    "symbol",
    "observation_id",
    "note",
]
# What is read of each figure, as a dict from values().
FIELDS = (
    "id",
    "area_code",
    "area_level",
    "source",
    "period_kind",
    "period_start",
    "period_end",
    "period_label",
    "value",
    "symbol",
)
Row = Mapping[str, Any]


@dataclass
class Trajectory:
    """Everything the trajectory chart draws, as plain DataFrames for the pure chart builder."""

    authority: Authority
    indicator: Indicator
    points: pd.DataFrame
    inspections: pd.DataFrame
    events: pd.DataFrame
    milestones: pd.DataFrame
    neighbours_method: str
    neighbours_total: int
    first_year: int | None
    last_year: int | None
    available_years: list[int]
    # Milestones whose due dates lie outside the dates a plan may have (stored some other way
    # than the form): left off the chart, which could not draw them, and named beneath it.
    milestones_not_drawn: list[Milestone] = field(default_factory=list)
    milestone_dates: dates.DateRange | None = None
    # Counts are not drawn against England's and the region's totals: summed over many
    # authorities, they would flatten the authority's own line to the axis.
    totals_left_out: bool = False


@dataclass(frozen=True)
class Years:
    """The years the chart is limited to; None at either end for no limit."""

    first: int | None = None
    last: int | None = None

    def covers(self, date: datetime.date) -> bool:
        return (self.first is None or date.year >= self.first) and (
            self.last is None or date.year <= self.last
        )


def _point(row: Row, series: str, role: str, note: str = "") -> dict[str, Any]:
    """One figure as the chart draws it (the columns of ``POINT_COLUMNS``)."""
    return {
        "series": series,
        "role": role,
        "source": row["source"],
        "period_kind": row["period_kind"],
        "period_label": row["period_label"],
        "period_end": row["period_end"],
        "value": row["value"],
        "symbol": row["symbol"],
        "observation_id": row["id"],
        "note": note,
    }


def _series_name(authority: Authority, source: str, period_kind: str) -> str:
    if source == Source.REPORT:
        return f"{authority.name} (report evidence)"
    frequency = "monthly" if period_kind == PeriodKind.MONTH else "annual"
    return f"{authority.name} ({frequency}, {SOURCE_WORDS[Source(source)]})"


def trajectory(
    authority: Authority,
    indicator: Indicator,
    *,
    neighbours_method: str = bands.MEAN,
    first_year: int | None = None,
    last_year: int | None = None,
) -> Trajectory:
    """The authority's series for one indicator with its comparators, inspections, events and
    milestones. Five queries, whatever the number of periods or authorities."""
    years = Years(first_year, last_year)
    neighbours = neighbour_codes(authority)
    totals_left_out = indicator.unit == Unit.COUNT
    own = list(
        Observation.objects.filter(indicator=indicator, area_code=authority.gss_code)
        .order_by("period_end")
        .values(*FIELDS, "quote", "note")
    )
    available_years = sorted({row["period_end"].year for row in own})
    own = [row for row in own if years.covers(row["period_end"])]
    points = [
        _point(
            row,
            _series_name(authority, row["source"], row["period_kind"]),
            "report" if row["source"] == Source.REPORT else "authority",
            # A report figure's quote, or the note published with the figure (never a monthly
            # return's internal note, which is not copied to published figures).
            note=row["quote"] if row["source"] == Source.REPORT else row["note"],
        )
        for row in own
    ]
    points += _comparator_points(
        authority,
        indicator,
        own,
        neighbours,
        neighbours_method,
        years,
        with_totals=not totals_left_out,
    )
    inspections, events, milestones, not_drawn = _timeline(authority, indicator, years)
    return Trajectory(
        authority=authority,
        indicator=indicator,
        points=pd.DataFrame(points, columns=POINT_COLUMNS),
        inspections=inspections,
        events=events,
        milestones=milestones,
        neighbours_method=neighbours_method,
        neighbours_total=len(neighbours),
        first_year=first_year,
        last_year=last_year,
        available_years=available_years,
        milestones_not_drawn=not_drawn,
        milestone_dates=dates.plan_dates(),
        totals_left_out=totals_left_out,
    )


def _comparator_points(
    authority: Authority,
    indicator: Indicator,
    own: list[Row],
    neighbours: list[str],
    method: str,
    years: Years,
    *,
    with_totals: bool,
) -> list[dict[str, Any]]:
    """England, the region and the neighbours' average for the periods the authority's main
    series has, each from the source its figures are compared with. One query.

    Comparators are drawn for the authority's annual series where it has one, else monthly;
    only those are read (neighbours' monthly figures would be most of the rows otherwise)."""
    comparable = [row for row in own if comparator_source(row["source"], authority) is not None]
    annual = [row for row in comparable if row["period_kind"] != PeriodKind.MONTH]
    keys = {
        (comparator_source(row["source"], authority), row["period_kind"])
        for row in annual or comparable
    }
    if not keys:
        return []
    region = authority.region if with_totals else None
    kinds = Q()
    for source, period_kind in keys:
        kinds |= Q(source=source, period_kind=period_kind)
    areas = [
        *neighbours,
        *([ENGLAND_CODE] if with_totals else []),
        *([region.code] if region else []),
    ]
    others = Observation.objects.filter(kinds, indicator=indicator, area_code__in=areas)
    if years.first is not None:
        others = others.filter(period_end__gte=datetime.date(years.first, 1, 1))
    if years.last is not None:
        others = others.filter(period_end__lte=datetime.date(years.last, 12, 31))

    neighbour_set = set(neighbours)
    points = []
    by_period: dict[tuple, list[float]] = defaultdict(list)  # each period's neighbour figures
    for row in others.order_by("period_end").values(*FIELDS):
        if (row["source"], row["period_kind"]) not in keys:
            continue
        if row["area_code"] == ENGLAND_CODE:
            points.append(_point(row, ENGLAND_NAME, "england"))
        elif region and row["area_code"] == region.code and row["area_level"] == AreaLevel.REGIONAL:
            points.append(_point(row, region.name, "region"))
        elif row["area_code"] in neighbour_set:
            key = (row["source"], row["period_kind"], row["period_end"], row["period_label"])
            figures = by_period[key]
            if row["value"] is not None:
                figures.append(row["value"])
    return points + _neighbour_points(by_period, method, len(neighbours))


def _neighbour_points(
    by_period: dict[tuple, list[float]], method: str, total: int
) -> list[dict[str, Any]]:
    """The neighbours' mean or median for each period, saying how many of them it is over."""
    words = "median" if method == bands.MEDIAN else "mean"
    points = []
    for key in sorted(by_period, key=lambda k: k[2]):
        source, period_kind, period_end, period_label = key
        figures = by_period[key]
        average = bands.neighbour_average(figures, method)
        period = {
            "id": None,
            "source": source,
            "period_kind": period_kind,
            "period_label": period_label,
            "period_end": period_end,
            "value": average,
            "symbol": "" if average is not None else "x",
        }
        note = f"{words.capitalize()} of {len(figures)} of {total} neighbours"
        points.append(_point(period, f"Statistical neighbours ({words})", "neighbours", note))
    return points


def _timeline(
    authority: Authority, indicator: Indicator, years: Years
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[Milestone]]:
    """Graded inspections, events and the indicator's milestones within the years chosen, and
    the milestones left off because their dates are outside those a plan may have. Read
    through .all(), so an authority read with its history costs no query."""
    inspections = pd.DataFrame(
        [
            {
                "date": i.published_date or i.end_date or i.start_date,
                "start_date": i.start_date,
                "framework": i.framework,
                "kind": i.get_kind_display(),
                "grade": i.get_overall_grade_display(),
            }
            for i in sorted(authority.inspections.all(), key=lambda i: i.start_date)
            if i.overall_grade and years.covers(i.start_date)
        ],
        columns=["date", "start_date", "framework", "kind", "grade"],
    )
    events = pd.DataFrame(
        [
            {"date": e.date, "category": e.get_category_display(), "description": e.description}
            for e in sorted(authority.events.all(), key=lambda e: e.date)
            if e.category != "inspection" and years.covers(e.date)
        ],
        columns=["date", "category", "description"],
    )
    plan = dates.plan_dates()
    wanted = [
        m
        for m in sorted(authority.milestones.all(), key=lambda m: m.due_date)
        if m.indicator_id == indicator.pk and years.covers(m.due_date)
    ]
    milestones = pd.DataFrame(
        [
            {"due_date": m.due_date, "value": m.value, "note": m.note}
            for m in wanted
            if m.due_date in plan
        ],
        columns=["due_date", "value", "note"],
    )
    return inspections, events, milestones, [m for m in wanted if m.due_date not in plan]
