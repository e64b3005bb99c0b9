"""What a board pack shows, read once and written as plain JSON (the snapshot the pack keeps).

The scorecard is the authority page's headlines
(``reports.authority.selectors.authority_headlines``), not a second computation of them. Every
figure is written out as people read it when the pack is made, with where it came from, so the
kept pack shows the same words whatever changes later.
A fixed number of queries, whatever the number of authorities or periods.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from authorities import dates
from authorities.models import ENGLAND_CODE, ENGLAND_NAME, Authority
from indicators.models import Indicator, Observation, Source
from reports.authority import selectors as authority_selectors
from reports.formatting import format_change, format_value

from . import plan, small_charts
from .figures import citation, figure, figure_key, keyed, observation_row

SCHEMA = 1
FIRST_PACK_MONTHS = 12  # a first pack looks back a year for events, inspections and notes
CITATION_FIELDS = ("id", "source", "release", "source_row", "section", "quote")


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
        row = observation_row(observation)
        return keyed(
            figure(row, indicator, area_code, area_name, cited.get(observation.pk, {})),
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
    rows = small_charts.series_rows(authority, headlines)
    inspections = authority_selectors.authority_inspections(authority)
    measures = []
    for headline in headlines:
        measure = scorecard_row(authority, headline, cited)
        measure["chart"] = small_charts.chart(authority, headline, rows, inspections)
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
