"""Reads that assemble what pages show. Each function costs a fixed number of queries,
whatever the number of authorities or periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.http import Http404

from authorities.models import Authority, Event, Inspection, Region
from indicators.models import Indicator, Observation, Polarity, Source

# When two sources give a figure for the same period, the headline shows the more authoritative.
SOURCE_PRIORITY = {
    Source.OFFICIAL: 0,
    Source.MONTHLY_RETURN: 1,
    Source.REPORT: 2,
    Source.DEMO: 3,
}


@dataclass
class RegionGroup:
    name: str
    authorities: list[Authority] = field(default_factory=list)


def authorities_by_region(search: str = "") -> list[RegionGroup]:
    """Active authorities grouped by region, each annotated with its latest graded inspection."""
    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    authorities = (
        Authority.objects.active()
        .search(search)
        .select_related("region")
        .annotate(
            latest_grade=Subquery(latest.values("overall_grade")[:1]),
            latest_grade_date=Subquery(latest.values("start_date")[:1]),
            latest_framework=Subquery(latest.values("framework")[:1]),
        )
        .order_by("region__name", "name")
    )
    groups: dict[str, RegionGroup] = {}
    for authority in authorities:
        region_name = authority.region.name if authority.region else "Region not known"
        groups.setdefault(region_name, RegionGroup(region_name)).authorities.append(authority)
    return list(groups.values())


def get_authority(gss_code: str) -> Authority:
    try:
        return Authority.objects.select_related("region", "successor").get(gss_code=gss_code)
    except Authority.DoesNotExist:
        raise Http404(f"No authority has the GSS code {gss_code}") from None


@dataclass
class Headline:
    """The latest figure for one indicator, and how it moved since the period before."""

    indicator: Indicator
    latest: Observation
    previous: Observation | None
    change: float | None
    direction: str  # better, worse, same, up, down (no polarity) or "" (no comparison)

    @property
    def direction_words(self) -> str:
        if self.previous is None or self.change is None:
            return "No earlier figure to compare with"
        moved = {
            "better": "Improved",
            "worse": "Worsened",
            "same": "No change",
            "up": "Rose",
            "down": "Fell",
        }[self.direction]
        return f"{moved} since {self.previous.period_label}"

    @property
    def arrow(self) -> str:
        if self.change is None or self.direction == "same":
            return "→" if self.change is not None else ""
        return "↑" if self.change > 0 else "↓"


def judge_direction(change: float, polarity: str) -> str:
    if change == 0:
        return "same"
    if polarity == Polarity.HIGHER_IS_BETTER:
        return "better" if change > 0 else "worse"
    if polarity == Polarity.LOWER_IS_BETTER:
        return "better" if change < 0 else "worse"
    return "up" if change > 0 else "down"


def _latest_series_key(observations: list[Observation]) -> tuple[str, str]:
    """The (source, period kind) of the series whose newest figure is latest."""
    newest = max(
        observations,
        key=lambda o: (o.period_end, -SOURCE_PRIORITY.get(Source(o.source), 9)),
    )
    return newest.source, newest.period_kind


def authority_headlines(authority: Authority) -> list[Headline]:
    """The latest figure of every indicator that has data for the authority.

    One query for the observations (with their indicators), whatever the number of periods.
    """
    observations = (
        Observation.objects.filter(area_code=authority.gss_code)
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code", "period_end")
    )
    by_indicator: dict[int, list[Observation]] = defaultdict(list)
    for observation in observations:
        by_indicator[observation.indicator_id].append(observation)

    headlines = []
    for series in by_indicator.values():
        source, period_kind = _latest_series_key(series)
        same_series = [o for o in series if o.source == source and o.period_kind == period_kind]
        latest = same_series[-1]
        previous = same_series[-2] if len(same_series) > 1 else None
        change = None
        direction = ""
        if previous is not None and latest.value is not None and previous.value is not None:
            change = latest.value - previous.value
            direction = judge_direction(change, latest.indicator.polarity)
        headlines.append(Headline(latest.indicator, latest, previous, change, direction))
    return headlines


def authority_inspections(authority: Authority) -> list[Inspection]:
    return list(authority.inspections.order_by("-start_date"))


def authority_events(authority: Authority) -> list[Event]:
    return list(authority.events.order_by("-date"))


def regions() -> list[Region]:
    return list(Region.objects.order_by("name"))


def get_observation(pk: int) -> Observation:
    try:
        return Observation.objects.select_related("indicator").get(pk=pk)
    except Observation.DoesNotExist:
        raise Http404("No such figure") from None


def area_name(code: str) -> str:
    """The name of an area (England, a region or an authority) from its GSS code."""
    from authorities.models import ENGLAND_CODE, ENGLAND_NAME

    if code == ENGLAND_CODE:
        return ENGLAND_NAME
    region = Region.objects.filter(code=code).values_list("name", flat=True).first()
    if region:
        return region
    authority = Authority.objects.filter(gss_code=code).values_list("name", flat=True).first()
    return authority or code
